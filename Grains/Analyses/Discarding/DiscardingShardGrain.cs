using System.Diagnostics;
using Microsoft.Extensions.Logging;
using ProbeGrid.Grains.Analyses;
using ProbeGrid.Grains.Compute;
using ProbeGrid.Grains.Placement;
using ProbeGrid.GrainsInterfaces.Grains;
using ProbeGrid.GrainsInterfaces.InfoDiscarding;
using ProbeGrid.Grains.Models;

namespace ProbeGrid.Grains.Analyses;

/// <summary>
/// One shard of an information-discarding unit's samples. Its key has no checkpoint prefix, so
/// checkpoint-affinity placement hashes each shard on its own over the silos able to run it: a unit's
/// samples spread over the cluster. The network comes from the checkpoint file (every silo can read it),
/// the decoder in the call. Nothing is kept: the activation goes once it has answered.
/// </summary>
[CheckpointAffinityPlacementAttribute]
public sealed class DiscardingShardGrain(IComputeExecutor executor, DiscardingJob job, ModelCatalog models, ILogger<DiscardingShardGrain> logger) : Grain, IDiscardingShardGrain
{
    public async Task<ImmutableArray<SampleDiscarding>> Measure(DiscardingShardWork shard)
    {
        var work = shard.Work;
        var settings = work.SettingsOf<DiscardingSettings>(DiscardingAnalysis.Kind);
        var inputs = JobInputs.Of(work, models);
        var started = Stopwatch.GetTimestamp();
        var results = await executor.Run(
            new ComputeRequest($"information discarding of {shard.Samples.Length} samples of {work.SweepId} {work.Checkpoint.Name}/{shard.Layer} repeat {work.Repeat}",
                DiscardingJob.EstimateBytes(inputs, settings, shard.Decoder.Length), Units: 1),
            context => job.Measure(inputs, shard.Layer, shard.Samples, [.. shard.Decoder], settings, context.Device, context.CancellationToken));
        logger.LogDebug("{Samples} samples of {Checkpoint}/{Layer} in {Seconds:F2}s on {Silo}",
            shard.Samples.Length, work.Checkpoint.Name, shard.Layer, Stopwatch.GetElapsedTime(started).TotalSeconds, RuntimeIdentity);
        DeactivateOnIdle();
        return [.. results];
    }
}
