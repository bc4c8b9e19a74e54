using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ProbeGrid.Analysis.Data;
using ProbeGrid.Grains.Compute;
using ProbeGrid.GrainsInterfaces.Sweeps;

namespace ProbeGrid.Grains.Analyses;

/// <summary>A checkpoint's Wasserstein analysis: one job for every layer of the sweep, whichever units are left (early exit compares them all).</summary>
internal sealed class WassersteinRunner(AnalysisRunContext context, WassersteinSettings settings) : IAnalysisRunner
{
    private readonly ActivationJob activations = context.Services.GetRequiredService<ActivationJob>();
    private readonly CheckpointJob<WassersteinJob.Result> job = new();

    public async Task<AnalysisOutput> Run(CheckpointWork work, LayerRef layer) =>
        new(WassersteinAnalysis.Metrics(await job.Get(() => RunJob(work)), work.Checkpoint, layer, work.Repeat));

    private async Task<WassersteinJob.Result> RunJob(CheckpointWork work)
    {
        var layers = work.SweepLayers;
        var inputs = JobInputs.Of(work, context.Models);
        var request = new ComputeRequest($"Wasserstein analysis of {work.SweepId} {work.Checkpoint.Name} repeat {work.Repeat} ({layers.Length} layers)",
            ActivationJob.EstimateBytes(inputs, layers), Units: layers.Length);
        var started = Stopwatch.GetTimestamp();
        var result = await context.Executor.Run(request, compute =>
        {
            // The cost file, if any, is read here: disk I/O belongs on the executor, not in the grain's turn.
            var transport = settings.TransportFor(inputs.Models.ClassCount(inputs.Dataset));
            var acts = activations.Run(inputs, layers, compute.Device, compute.CancellationToken);
            return WassersteinJob.Run(acts, layers, settings.Classifier, transport, settings.Standardize, compute.Device, compute.CancellationToken);
        });
        if (result.Report?.Warning is { } warning)
            context.Logger.LogWarning("Sweep {SweepId} checkpoint {Checkpoint} repeat {Repeat}: {Warning}", work.SweepId, work.Checkpoint.Name, work.Repeat, warning);
        if (WassersteinJob.UntrainedClassifiers(result) is { Count: > 0 } untrained)
            context.Logger.LogWarning(
                "Sweep {SweepId} checkpoint {Checkpoint} repeat {Repeat}: the internal classifiers of {Taps} never improved on their zero start " +
                "(ic.best_epoch 0): they predict the uniform distribution, and their W-distances measure only that. Features this large " +
                "make {Optimizer} at learningRate {LearningRate} diverge: lower learningRate (by 10 to 100 times) or use \"optimizer\": \"adam\"",
                work.SweepId, work.Checkpoint.Name, work.Repeat, string.Join(", ", untrained), settings.Classifier.Optimizer, settings.Classifier.LearningRate);
        context.Logger.LogInformation(
            "Sweep {SweepId} checkpoint {Checkpoint} repeat {Repeat}: Wasserstein analysis of {Layers} layers in {Seconds:F1}s on {Silo}",
            work.SweepId, work.Checkpoint.Name, work.Repeat, layers.Length, Stopwatch.GetElapsedTime(started).TotalSeconds, context.Silo);
        return result;
    }
}
