using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ProbeGrid.Analysis.LinearProbes;
using ProbeGrid.Grains.Compute;
using ProbeGrid.GrainsInterfaces.Grains;
using ProbeGrid.GrainsInterfaces.Results;
using ProbeGrid.GrainsInterfaces.Sweeps;

namespace ProbeGrid.Grains.Analyses;

/// <summary>
/// A checkpoint's probes: the first unit to arrive starts one executor job for all the work's layers (one pass over
/// the activation cache, all probes trained together); every layer's unit awaits that job. With warm start each unit's
/// weights go into its output, which the unit stores: the next checkpoint reads them from there.
/// </summary>
internal sealed class ProbeRunner(AnalysisRunContext context, ProbeSettings settings) : IAnalysisRunner
{
    private readonly ActivationJob activations = context.Services.GetRequiredService<ActivationJob>();
    private ProbeBatch? batch;

    public async Task<AnalysisOutput> Run(CheckpointWork work, LayerRef layer)
    {
        // Looked up and set within one turn, so interleaved units cannot start the batch twice.
        if (batch is null || batch.Task.IsFaulted || !batch.Layers.Contains(layer.Name))
        {
            var layers = work.Layers.Contains(layer) ? work.Layers : work.Layers.Add(layer);
            batch = new ProbeBatch(layers.Select(l => l.Name).ToHashSet(), RunProbes(work, layers));
        }
        var result = (await batch.Task).For(layer.Name);
        return new AnalysisOutput(ProbeAnalysis.Metrics(result, work.Checkpoint, layer, work.Repeat))
        {
            ProbeWeights = settings.WarmStart ? new LayerProbeWeights(layer.Name, result.Weights.Weights, result.Weights.Bias, result.Weights.Inputs, result.Weights.Classes) : null,
        };
    }

    private async Task<ProbeJob.Result> RunProbes(CheckpointWork work, ImmutableArray<LayerRef> layers)
    {
        IReadOnlyDictionary<string, ProbeWeights>? warm = null;
        if (settings.WarmStart && work.Previous is { } previous)
        {
            // From the previous checkpoint's stored units, never from memory: a restart must not change the numbers.
            // A layer whose unit failed there has no weights, and its probe starts cold and says so (probe.warm_started).
            var stored = await Task.WhenAll(layers.Select(l => context.Grains.GetGrain<ILayerAnalysisGrain>(
                GrainKeys.Unit(work.SweepId, new UnitKey(previous.Name, l.Name, ProbeAnalysis.Kind, work.Repeat))).GetOutcome()));
            warm = stored.Select(o => o?.ProbeWeights).OfType<LayerProbeWeights>()
                .ToDictionary(w => w.Layer, w => new ProbeWeights(w.Weights, w.Bias, w.Inputs, w.Classes));
        }

        var inputs = JobInputs.Of(work, context.Models);
        // Every tap at once when that fits the silo's budget; else streamed through the activation cache a group of taps at a time.
        var plan = ProbeMemoryPlan.For(inputs, layers, settings, context.Executor.Usage.BudgetBytes);
        var request = new ComputeRequest($"probes of {work.SweepId} {work.Checkpoint.Name} repeat {work.Repeat} ({layers.Length} layers)", plan.EstimatedBytes, Units: layers.Length);
        var started = Stopwatch.GetTimestamp();
        var results = await context.Executor.Run(request, compute =>
            ProbeJob.Run(activations, inputs, plan, settings, warm, compute.Device, compute.CancellationToken));
        context.Logger.LogInformation(
            "Sweep {SweepId} checkpoint {Checkpoint} repeat {Repeat}: {Layers} probes in {Seconds:F1}s on {Silo} ({Mode}, estimated {MiB:F0} MiB)",
            work.SweepId, work.Checkpoint.Name, work.Repeat, layers.Length, Stopwatch.GetElapsedTime(started).TotalSeconds, context.Silo,
            plan.Streams ? $"streamed in {plan.TrainingGroups.Count} groups" : "in memory", plan.EstimatedBytes / (1024.0 * 1024.0));
        return results;
    }

    /// <summary>A probe job over some layers and its (possibly running) result.</summary>
    private sealed record ProbeBatch(IReadOnlySet<string> Layers, Task<ProbeJob.Result> Task);
}
