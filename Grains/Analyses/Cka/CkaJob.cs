using ProbeGrid.Analysis.Activations;
using ProbeGrid.Analysis.Cka;
using ProbeGrid.Grains.Compute;
using ProbeGrid.GrainsInterfaces.Sweeps;
using TorchSharp;

namespace ProbeGrid.Grains.Analyses;

/// <summary>
/// One checkpoint's CKA, on the executor: the probe set's activations of every layer of the sweep at this checkpoint,
/// the previous one and the last one (through the activation cache), then the layer x layer matrix and each layer
/// against itself at the other two. Layers whose activations are not finite at this checkpoint are left out.
/// </summary>
public static class CkaJob
{
    /// <param name="Layers">the finite layers, in depth order: the rows and columns of <paramref name="Matrix"/>.</param>
    /// <param name="Previous">each layer against itself at the previous checkpoint (null at the first, or where that layer was not finite there: NaN).</param>
    /// <param name="Final">each layer against itself at the sweep's last checkpoint.</param>
    public sealed record Result(
        ImmutableArray<string> Layers, SimilarityMatrix Matrix, double[]? Previous, double[]? Final, IReadOnlyDictionary<string, NonFiniteTap> NonFinite);

    public static Result Run(ActivationJob activations, CheckpointWork work, CkaSettings settings, torch.Device device, CancellationToken ct)
    {
        var layers = work.SweepLayers;
        var here = activations.Run(work with { Layers = layers }, device, ct);
        var finite = here.Finite(layers).Select(l => l.Name).ToList();
        var probeSet = ProbeSet(here, finite, settings.Samples);
        var matrix = LinearCka.Layers(probeSet, settings.Options, device);

        double[]? Against(CheckpointRef? other)
        {
            if (other is null) return null;
            var there = other == work.Checkpoint ? here : activations.Run(work with { Checkpoint = other, Layers = layers }, device, ct);
            // A layer not finite there compares as NaN, and its point is left out.
            var theirs = finite.Select(l => there.Layers.ContainsKey(l) ? Rows(there.Layers[l].Test, settings.Samples) : null).ToList();
            var pairs = Enumerable.Range(0, finite.Count).Where(i => theirs[i] is not null).ToList();
            var values = LinearCka.SameLayer(pairs.Select(i => probeSet[i]).ToList(), pairs.Select(i => theirs[i]!).ToList(), settings.Options, device);
            var all = Enumerable.Repeat(double.NaN, finite.Count).ToArray();
            for (var k = 0; k < pairs.Count; k++) all[pairs[k]] = values[k];
            return all;
        }

        var index = work.SweepCheckpoints.IndexOf(work.Checkpoint);
        var previous = index > 0 ? work.SweepCheckpoints[index - 1] : null;
        var last = work.SweepCheckpoints.IsDefaultOrEmpty ? null : work.SweepCheckpoints[^1];
        return new Result([.. finite], matrix, Against(previous), Against(last), here.NonFinite);
    }

    /// <summary>Bytes at the peak: three checkpoints' activations (this, the previous and the last) held at once.</summary>
    public static long EstimateBytes(CheckpointWork work) => 3 * ActivationJob.EstimateBytes(work, work.SweepLayers);

    private static List<FeatureMatrix> ProbeSet(CheckpointActivations activations, IReadOnlyList<string> layers, int samples) =>
        layers.Select(l => Rows(activations.Layers[l].Test, samples)).ToList();

    /// <summary>The first <paramref name="rows"/> samples of a split: the probe set, the same at every checkpoint.</summary>
    private static FeatureMatrix Rows(FeatureMatrix split, int rows) =>
        rows >= split.Rows ? split : new FeatureMatrix(split.Data[..(rows * split.Columns)], rows, split.Columns);
}
