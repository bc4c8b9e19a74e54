using System.Diagnostics;
using Microsoft.Extensions.Logging;
using ProbeGrid.Analysis.Complexity;
using ProbeGrid.Grains.Compute;
using ProbeGrid.Grains.Placement;
using ProbeGrid.GrainsInterfaces.Complexity;
using ProbeGrid.GrainsInterfaces.Grains;
using ProbeGrid.Grains.Models;

namespace ProbeGrid.Grains.Analyses;

/// <summary>
/// One shard of a complexity unit's coalitions. Its key has no checkpoint prefix, so checkpoint-affinity
/// placement hashes each shard of each unit on its own over the silos able to run it: the shards of a
/// unit spread over the cluster. The upper network comes from the checkpoint file (every silo can read
/// it); the components come in the call. Nothing is kept: the activation goes once it has answered.
/// </summary>
[CheckpointAffinityPlacementAttribute]
public sealed class ShapleyShardGrain(IComputeExecutor executor, ModelCatalog models, ILogger<ShapleyShardGrain> logger) : Grain, IShapleyShardGrain
{
    public async Task<ImmutableArray<CoalitionLoss>> Evaluate(ShapleyShardWork shard)
    {
        var work = shard.Work;
        var started = Stopwatch.GetTimestamp();
        // One coalition's feature on each sample set, and its tensor copy, at a time.
        var bytes = 4L * (shard.Train.Remainder.Length + shard.Test.Remainder.Length) * 2;
        var losses = await executor.Run(
            new ComputeRequest($"{shard.Coalitions.Length} coalitions of {work.SweepId} {work.Checkpoint.Name}/{shard.Layer} repeat {work.Repeat}", bytes),
            context =>
            {
                using var model = ModelLoader.For(JobInputs.Of(work, models), context.Device);
                var upper = new UpperNetworkLoss(model, shard.Layer, shard.FeatureShape.ToArray(), context.Device);
                var train = Parts(shard.Train);
                var test = Parts(shard.Test);
                var trainTargets = Targets(shard.Train);
                var testTargets = Targets(shard.Test);
                return ComponentGames.Evaluate(shard.Coalitions, train, test,
                    (feature, _, isTest) => upper.Mean(feature, isTest ? testTargets : trainTargets), context.CancellationToken);
            });
        logger.LogDebug("{Coalitions} coalitions of {Checkpoint}/{Layer} in {Seconds:F2}s on {Silo}",
            shard.Coalitions.Length, work.Checkpoint.Name, shard.Layer, Stopwatch.GetElapsedTime(started).TotalSeconds, RuntimeIdentity);
        DeactivateOnIdle();
        return shard.Coalitions.Select(c => new CoalitionLoss(c, losses[c].Train, losses[c].Test)).ToImmutableArray();
    }

    /// <summary>The set's components; player indices stand in for the orders, which a shard does not need.</summary>
    private static FeatureComponents Parts(ComponentSet set) =>
        FeatureComponents.FromParts(Enumerable.Range(0, set.Components.Length).ToArray(), set.Components, set.Remainder, set.Samples);

    private static UpperNetworkLoss.Targets Targets(ComponentSet set) => new(set.Classes, set.TargetRows, set.TargetShape.ToArray());
}
