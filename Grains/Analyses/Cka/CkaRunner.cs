using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ProbeGrid.Grains.Compute;
using ProbeGrid.GrainsInterfaces.Sweeps;

namespace ProbeGrid.Grains.Analyses;

/// <summary>A checkpoint's CKA: one job for every layer of the sweep (the layer x layer matrix needs them all), whichever units are left.</summary>
internal sealed class CkaRunner(AnalysisRunContext context, CkaSettings settings) : IAnalysisRunner
{
    private readonly ActivationJob activations = context.Services.GetRequiredService<ActivationJob>();
    private readonly CheckpointJob<CkaJob.Result> job = new();

    public async Task<AnalysisOutput> Run(CheckpointWork work, LayerRef layer) =>
        new(CkaAnalysis.Metrics(await job.Get(() => RunJob(work)), work.Checkpoint, layer, work.Repeat));

    private async Task<CkaJob.Result> RunJob(CheckpointWork work)
    {
        var inputs = JobInputs.Of(work, context.Models);
        var index = work.SweepCheckpoints.IndexOf(work.Checkpoint);
        var peer = settings.Peer?.For(work.Checkpoint) is { } peerCheckpoint
            ? inputs with { Architecture = settings.Peer.Architecture, ModelParameters = settings.Peer.Parameters, Checkpoint = peerCheckpoint }
            : null;
        var comparisons = new CkaJob.Comparisons(
            index > 0 ? work.SweepCheckpoints[index - 1] : null, work.SweepCheckpoints.IsDefaultOrEmpty ? null : work.SweepCheckpoints[^1], peer);
        var request = new ComputeRequest($"CKA of {work.SweepId} {work.Checkpoint.Name} repeat {work.Repeat} ({work.SweepLayers.Length} layers)",
            CkaJob.EstimateBytes(inputs, work.SweepLayers, peer is not null), Units: work.SweepLayers.Length);
        var started = Stopwatch.GetTimestamp();
        var result = await context.Executor.Run(request, compute =>
            CkaJob.Run(activations, inputs, work.SweepLayers, comparisons, settings, compute.Device, compute.CancellationToken));
        context.Logger.LogInformation("Sweep {SweepId} checkpoint {Checkpoint} repeat {Repeat}: CKA of {Layers} layers in {Seconds:F1}s on {Silo}",
            work.SweepId, work.Checkpoint.Name, work.Repeat, result.Layers.Length, Stopwatch.GetElapsedTime(started).TotalSeconds, context.Silo);
        return result;
    }
}
