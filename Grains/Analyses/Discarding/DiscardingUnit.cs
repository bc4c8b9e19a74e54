using System.Diagnostics;
using Microsoft.Extensions.Logging;
using ProbeGrid.Grains.Analyses;
using ProbeGrid.Grains.Compute;
using ProbeGrid.Grains.Units;
using ProbeGrid.GrainsInterfaces.Grains;
using ProbeGrid.GrainsInterfaces.InfoDiscarding;
using ProbeGrid.GrainsInterfaces.Sweeps;
using ProbeGrid.Grains.Models;

namespace ProbeGrid.Grains.Analyses;

/// <summary>
/// Runs one information-discarding unit from its checkpoint grain: the layer's RU decoder on this silo's
/// executor, then the unit's samples fanned out to discarding shard grains across the cluster (each learns
/// σ for its samples through the layer), then their results gathered in sample order. A shard lost with
/// its silo is asked again; each sample is measured whole by one shard from its own seed, so the result
/// does not depend on the number of shards or on which silo answered.
/// </summary>
public sealed class DiscardingUnit(IGrainFactory grains, IComputeExecutor executor, DecoderJob decoderJob, ModelCatalog models, ILogger logger)
{
    public async Task<DiscardingResult> Run(CheckpointWork work, LayerRef layer, DiscardingSettings settings)
    {
        var started = Stopwatch.GetTimestamp();
        DecoderFit? decoder = null;
        if (settings.HasRu)
        {
            var inputs = JobInputs.Of(work, models);
            decoder = await executor.Run(
                new ComputeRequest($"RU decoder of {work.SweepId} {work.Checkpoint.Name}/{layer.Name} repeat {work.Repeat}",
                    DecoderJob.EstimateBytes(inputs, layer, settings), Units: 1),
                context => decoderJob.Train(inputs, layer, settings, context.Device, context.CancellationToken));
        }

        var samples = Enumerable.Range(settings.SampleOffset, settings.Samples).ToArray();
        var shards = Split(samples, settings.Shards);
        var unit = new UnitKey(work.Checkpoint.Name, layer.Name, DiscardingAnalysis.Kind, work.Repeat);
        var weights = decoder?.Weights ?? [];
        var answers = await ShardFanOut.Ask(shards,
            i => GrainKeys.DiscardingShard(work.SweepId, unit, i, shards.Count),
            (key, share) => grains.GetGrain<IDiscardingShardGrain>(key).Measure(new DiscardingShardWork(work, layer.Name, [.. share], weights)), logger);
        var measured = answers.SelectMany(a => a).OrderBy(s => s.Sample).ToImmutableArray();
        logger.LogInformation(
            "Sweep {SweepId} checkpoint {Checkpoint} layer {Layer} repeat {Repeat}: information discarding of {Samples} samples over {Shards} shards in {Seconds:F1}s",
            work.SweepId, work.Checkpoint.Name, layer.Name, work.Repeat, measured.Length, shards.Count, Stopwatch.GetElapsedTime(started).TotalSeconds);
        return new DiscardingResult(measured, decoder, shards.Count);
    }

    /// <summary>The samples in at most <paramref name="shards"/> contiguous shares, none empty, sizes differing by at most one.</summary>
    public static IReadOnlyList<int[]> Split(int[] samples, int shards)
    {
        var count = Math.Min(shards, samples.Length);
        return Enumerable.Range(0, count)
            .Select(i => samples[(i * samples.Length / count)..((i + 1) * samples.Length / count)])
            .ToList();
    }
}
