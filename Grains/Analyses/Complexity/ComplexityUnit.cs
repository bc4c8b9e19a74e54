using System.Diagnostics;
using Microsoft.Extensions.Logging;
using ProbeGrid.Analysis.Complexity;
using ProbeGrid.Grains.Analyses;
using ProbeGrid.Grains.Compute;
using ProbeGrid.Grains.Units;
using ProbeGrid.GrainsInterfaces.Complexity;
using ProbeGrid.GrainsInterfaces.Grains;
using ProbeGrid.GrainsInterfaces.Sweeps;
using ProbeGrid.Grains.Models;

namespace ProbeGrid.Grains.Analyses;

/// <summary>
/// Runs one complexity unit from its checkpoint grain: the disentanglers on this silo's executor, then
/// the coalition evaluations fanned out to Shapley shard grains across the cluster, then the Shapley
/// values of both games from the combined table. A shard lost with its silo is asked again (placement
/// puts it on a live silo); each coalition is evaluated whole by one shard, so the result does not
/// depend on the number of shards or on which silo answered.
/// </summary>
public sealed class ComplexityUnit(IGrainFactory grains, IComputeExecutor executor, ComplexityJob job, ModelCatalog models, ILogger logger)
{
    public async Task<ComplexityResult> Run(CheckpointWork work, LayerRef layer, ComplexitySettings settings)
    {
        var started = Stopwatch.GetTimestamp();
        var inputs = JobInputs.Of(work, models);
        var decomposition = await executor.Run(
            new ComputeRequest($"disentanglers of {work.SweepId} {work.Checkpoint.Name}/{layer.Name} repeat {work.Repeat} (orders {string.Join(", ", settings.Disentangler.Orders)})",
                ComplexityJob.EstimateBytes(inputs, layer, settings), Units: 1),
            context => job.Run(inputs, layer, settings, context.Device, context.CancellationToken));

        var players = decomposition.Train.Components.Count;
        var plan = players > ExactShapley.MaxPlayers ? SampledShapley.Plan(players, settings.Permutations, settings.Disentangler.Seed) : null;
        var coalitions = plan?.Coalitions() ?? ExactShapley.Coalitions(players);
        var shards = CoalitionShards.Split(coalitions, settings.Shards);
        var losses = await Evaluate(work, layer, decomposition, shards);

        var effectiveness = ComponentGames.Effectiveness(losses);
        var overfitting = ComponentGames.Overfitting(losses);
        var metrics = ComplexityMetrics.From(
            decomposition.Train.Orders, decomposition.Significance, decomposition.ComponentVariances,
            plan?.Values(effectiveness) ?? ExactShapley.Values(players, effectiveness),
            plan?.Values(overfitting) ?? ExactShapley.Values(players, overfitting));
        logger.LogInformation(
            "Sweep {SweepId} checkpoint {Checkpoint} layer {Layer} repeat {Repeat}: complexity of {Orders} orders, {Coalitions} coalitions over {Shards} shards, in {Seconds:F1}s",
            work.SweepId, work.Checkpoint.Name, layer.Name, work.Repeat, players, coalitions.Count, shards.Count, Stopwatch.GetElapsedTime(started).TotalSeconds);
        return new ComplexityResult(metrics, decomposition.MimicLosses, decomposition.Reliability, decomposition.RemainderShare,
            losses[Coalition.All(players)], losses[0], coalitions.Count, shards.Count);
    }

    private async Task<IReadOnlyDictionary<uint, (double Train, double Test)>> Evaluate(
        CheckpointWork work, LayerRef layer, ComplexityDecomposition d, IReadOnlyList<IReadOnlyList<uint>> shards)
    {
        var train = Set(d.Train, d.TrainTargets);
        var test = Set(d.Test, d.TestTargets);
        var unit = new UnitKey(work.Checkpoint.Name, layer.Name, ComplexityAnalysis.Kind, work.Repeat);
        var answers = await ShardFanOut.Ask(shards,
            i => GrainKeys.ShapleyShard(work.SweepId, unit, i, shards.Count),
            (key, coalitions) => grains.GetGrain<IShapleyShardGrain>(key).Evaluate(new ShapleyShardWork(work, layer.Name, [.. d.FeatureShape], train, test, [.. coalitions])), logger);
        return answers.SelectMany(a => a).ToDictionary(l => l.Coalition, l => (l.Train, l.Test));
    }

    private static ComponentSet Set(FeatureComponents parts, UpperNetworkLoss.Targets targets) =>
        new(parts.Samples, [.. parts.Components], parts.Remainder, targets.Classes, targets.Rows, [.. targets.RowShape]);
}
