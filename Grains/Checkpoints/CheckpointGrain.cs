using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using ProbeGrid.Analysis.Data;
using ProbeGrid.Analysis.LinearProbes;
using ProbeGrid.Grains.Analyses;
using ProbeGrid.Grains.Complexity;
using ProbeGrid.Grains.Compute;
using ProbeGrid.Grains.InfoDiscarding;
using ProbeGrid.Grains.Placement;
using ProbeGrid.Grains.Planning;
using ProbeGrid.Grains.Units;
using ProbeGrid.GrainsInterfaces.Grains;
using ProbeGrid.GrainsInterfaces.Results;
using ProbeGrid.GrainsInterfaces.Sweeps;

namespace ProbeGrid.Grains.Checkpoints;

/// <summary>
/// One checkpoint of a sweep and repeat. The first unit of an analysis to arrive starts one
/// executor job for all layers of its work (one forward pass through the activation cache, then
/// all probes, or all internal classifiers, in one batched pass); every layer unit of that
/// analysis awaits that same job. Reentrant, so units of one checkpoint
/// wait for their jobs side by side rather than one after another; the batch is looked up and set
/// within one turn, so interleaving cannot start it twice.
/// </summary>
[Reentrant]
[CheckpointAffinityPlacementAttribute]
public sealed class CheckpointGrain(
    IComputeExecutor executor, ActivationJob activations, ComplexityJob complexity, DecoderJob decoders, ILogger<CheckpointGrain> logger)
    : Grain, ICheckpointGrain
{
    /// <summary>A unit whose libtorch call failed runs once more before its failure is reported (see <see cref="Analyse"/>).</summary>
    private const int NativeAttempts = 2;

    private ProbeBatch? batch;
    private Task<WassersteinJob.Result>? wasserstein;

    public async Task<UnitOutcome> Analyse(CheckpointWork work, LayerRef layer, string analysis)
    {
        var key = new UnitKey(work.Checkpoint.Name, layer.Name, analysis, work.Repeat);
        var started = Stopwatch.GetTimestamp();
        UnitOutcome Outcome(ImmutableArray<MetricValue> metrics, string? error) =>
            new(key, metrics, error, RuntimeIdentity, Stopwatch.GetElapsedTime(started).TotalSeconds);

        if (!SweepPlanner.AnalysisKinds.Contains(analysis))
            return Outcome([], $"analysis '{analysis}' is not one this silo runs ({string.Join(", ", SweepPlanner.AnalysisKinds)}); upgrade the silo or remove it from the spec");
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (analysis == DiscardingAnalysis.Kind) return await RunDiscarding(work, layer, Outcome);
                if (analysis == ProbeAnalysis.Kind) return await RunProbe(work, layer, Outcome);
                return Outcome(await Compute(work, layer, analysis), null);
            }
            catch (ExternalException e) when (attempt < NativeAttempts)
            {
                // libtorch errors are mostly bad input, which fails again at once; but TorchSharp 0.107 can free a
                // temporary Scalar while the native call still reads it (seen once in Adam's addcdiv_), which a second run survives.
                logger.LogWarning("Sweep {SweepId} unit {Unit}: libtorch raised {Message}; running it once more", work.SweepId, key, e.Message.Split('\n')[0]);
            }
            catch (Exception e) when (e is SiloStoppingException || (e is OperationCanceledException && executor.IsStopping))
            {
                // Not the unit's failure: thrown, not returned, so the sweep runs the unit again rather than recording it.
                throw e as SiloStoppingException ?? new SiloStoppingException($"unit {key} was interrupted: its silo is shutting down", e);
            }
            catch (Exception e)
            {
                return Outcome([], UnitErrors.Describe(e));
            }
        }
    }

    /// <summary>The unit's metrics: batched with the checkpoint's other units where its analysis batches.</summary>
    private async Task<ImmutableArray<MetricValue>> Compute(CheckpointWork work, LayerRef layer, string analysis)
    {
        if (analysis == SyntheticAnalysis.Kind) return await RunSynthetic(work, layer);
        if (analysis == ComplexityAnalysis.Kind)
        {
            // Each layer has its own disentanglers: one job per unit, nothing shared between layers.
            var complexityResult = await new ComplexityUnit(GrainFactory, executor, complexity, logger).Run(work, layer);
            return ComplexityAnalysis.Metrics(complexityResult, work.Checkpoint, layer, work.Repeat);
        }
        if (analysis == WassersteinAnalysis.Kind)
        {
            // One job for every layer of the sweep, whichever units are left: early exit compares them all.
            if (wasserstein is null or { IsCompleted: true, IsCompletedSuccessfully: false }) wasserstein = RunWasserstein(work);
            var result = await wasserstein;
            return WassersteinAnalysis.Metrics(result, work.Checkpoint, layer, work.Repeat);
        }
        throw new InvalidOperationException($"analysis '{analysis}' has no branch in the checkpoint grain");
    }

    /// <summary>
    /// The layer's probe, trained in one batch with the checkpoint's other probe layers. With warm start its
    /// weights go into the outcome, which the unit stores: the next checkpoint reads them from there.
    /// </summary>
    private async Task<UnitOutcome> RunProbe(CheckpointWork work, LayerRef layer, Func<ImmutableArray<MetricValue>, string?, UnitOutcome> outcome)
    {
        if (batch is null || batch.Task.IsFaulted || !batch.Layers.Contains(layer.Name))
        {
            var layers = work.Layers.Contains(layer) ? work.Layers : work.Layers.Add(layer);
            batch = new ProbeBatch(layers.Select(l => l.Name).ToHashSet(), RunProbes(work, layers));
        }
        var result = (await batch.Task).For(layer.Name);
        var warmStart = ProbeAnalysis.WarmStart(work.Spec.Analyses.Single(a => a.Kind == ProbeAnalysis.Kind));
        return outcome(ProbeAnalysis.Metrics(result, work.Checkpoint, layer, work.Repeat).ToImmutableArray(), null) with
        {
            ProbeWeights = warmStart ? new LayerProbeWeights(layer.Name, result.Weights.Weights, result.Weights.Bias, result.Weights.Inputs, result.Weights.Classes) : null,
        };
    }

    /// <summary>Each layer has its own decoder and samples: one unit, nothing shared between layers. Its outcome carries the maps.</summary>
    private async Task<UnitOutcome> RunDiscarding(CheckpointWork work, LayerRef layer, Func<ImmutableArray<MetricValue>, string?, UnitOutcome> outcome)
    {
        var settings = DiscardingAnalysis.Options(work.Spec.Analyses.Single(a => a.Kind == DiscardingAnalysis.Kind));
        var result = await new DiscardingUnit(GrainFactory, executor, decoders, logger).Run(work, layer, settings);
        return outcome(DiscardingAnalysis.Metrics(result, work.Checkpoint, layer, work.Repeat), null) with
        {
            Maps = DiscardingAnalysis.Maps(result, work.Checkpoint, layer, work.Repeat, settings.Maps),
        };
    }

    /// <summary>Holds one executor slot for the spec's duration: one job per unit, nothing batched.</summary>
    private async Task<ImmutableArray<MetricValue>> RunSynthetic(CheckpointWork work, LayerRef layer)
    {
        var duration = SyntheticAnalysis.DurationMs(work.Spec.Analyses.Single(a => a.Kind == SyntheticAnalysis.Kind));
        var held = await executor.Run(new ComputeRequest($"synthetic unit {work.Checkpoint.Name}/{layer.Name}", 0, Units: 1), context =>
        {
            var started = Stopwatch.GetTimestamp();
            // Held like a real job: a stopping silo cancels it.
            if (duration > 0 && context.CancellationToken.WaitHandle.WaitOne(duration)) context.CancellationToken.ThrowIfCancellationRequested();
            return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        });
        return SyntheticAnalysis.Metrics(held, work.Checkpoint, layer, work.Repeat);
    }

    private async Task<ProbeJob.Result> RunProbes(CheckpointWork work, ImmutableArray<LayerRef> layers)
    {
        var probe = work.Spec.Analyses.Single(a => a.Kind == ProbeAnalysis.Kind);
        var options = ProbeAnalysis.Options(probe);
        IReadOnlyDictionary<string, ProbeWeights>? warm = null;
        if (ProbeAnalysis.WarmStart(probe) && work.Previous is { } previous)
        {
            // From the previous checkpoint's stored units, never from memory: a restart must not change the numbers.
            // A layer whose unit failed there has no weights, and its probe starts cold and says so (probe.warm_started).
            var stored = await Task.WhenAll(layers.Select(l => GrainFactory.GetGrain<ILayerAnalysisGrain>(
                GrainKeys.Unit(work.SweepId, new UnitKey(previous.Name, l.Name, ProbeAnalysis.Kind, work.Repeat))).GetOutcome()));
            warm = stored.Select(o => o?.ProbeWeights).OfType<LayerProbeWeights>()
                .ToDictionary(w => w.Layer, w => new ProbeWeights(w.Weights, w.Bias, w.Inputs, w.Classes));
        }

        var request = new ComputeRequest($"probes of {work.SweepId} {work.Checkpoint.Name} repeat {work.Repeat} ({layers.Length} layers)", ActivationJob.EstimateBytes(work, layers), Units: layers.Length);
        var started = Stopwatch.GetTimestamp();
        var results = await executor.Run(request, context =>
        {
            var acts = activations.Run(work with { Layers = layers }, context.Device, context.CancellationToken);
            return ProbeJob.Run(acts, layers, options, warm, context.Device, context.CancellationToken);
        });
        logger.LogInformation(
            "Sweep {SweepId} checkpoint {Checkpoint} repeat {Repeat}: {Layers} probes in {Seconds:F1}s on {Silo}",
            work.SweepId, work.Checkpoint.Name, work.Repeat, layers.Length, Stopwatch.GetElapsedTime(started).TotalSeconds, RuntimeIdentity);
        return results;
    }

    private async Task<WassersteinJob.Result> RunWasserstein(CheckpointWork work)
    {
        var spec = work.Spec.Analyses.Single(a => a.Kind == WassersteinAnalysis.Kind);
        var layers = work.SweepLayers;
        var request = new ComputeRequest($"Wasserstein analysis of {work.SweepId} {work.Checkpoint.Name} repeat {work.Repeat} ({layers.Length} layers)",
            ActivationJob.EstimateBytes(work, layers), Units: layers.Length);
        var started = Stopwatch.GetTimestamp();
        var result = await executor.Run(request, context =>
        {
            // The options read the cost file, if any: disk I/O belongs on the executor, not in the grain's turn.
            var (classifier, transport) = WassersteinAnalysis.Options(spec, DatasetCatalog.ClassCount(work.Spec.Dataset.Name));
            var acts = activations.Run(work with { Layers = layers }, context.Device, context.CancellationToken);
            return WassersteinJob.Run(acts, layers, classifier, transport, context.Device, context.CancellationToken);
        });
        if (result.Report?.Warning is { } warning)
            logger.LogWarning("Sweep {SweepId} checkpoint {Checkpoint} repeat {Repeat}: {Warning}", work.SweepId, work.Checkpoint.Name, work.Repeat, warning);
        logger.LogInformation(
            "Sweep {SweepId} checkpoint {Checkpoint} repeat {Repeat}: Wasserstein analysis of {Layers} layers in {Seconds:F1}s on {Silo}",
            work.SweepId, work.Checkpoint.Name, work.Repeat, layers.Length, Stopwatch.GetElapsedTime(started).TotalSeconds, RuntimeIdentity);
        return result;
    }

    /// <summary>A probe job over some layers and its (possibly running) result.</summary>
    private sealed record ProbeBatch(IReadOnlySet<string> Layers, Task<ProbeJob.Result> Task);
}
