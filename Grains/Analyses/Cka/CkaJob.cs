using ProbeGrid.Analysis.Activations;
using ProbeGrid.Analysis.Cka;
using ProbeGrid.Grains.Compute;
using ProbeGrid.GrainsInterfaces.Sweeps;
using TorchSharp;

namespace ProbeGrid.Grains.Analyses;

/// <summary>
/// One checkpoint's CKA, on the executor: the probe set's activations of every layer of the sweep at this checkpoint,
/// the previous one, the last one and the peer network's (through the activation cache), then the layer x layer matrix,
/// each layer against itself at the other checkpoints, and every layer against every layer of the peer.
/// Layers whose activations are not finite at this checkpoint are left out.
/// </summary>
public static class CkaJob
{
    /// <param name="Layers">the finite layers, in depth order: the rows and columns of <paramref name="Matrix"/>.</param>
    /// <param name="Previous">each layer against itself at the previous checkpoint (null at the first, or where that layer was not finite there: NaN).</param>
    /// <param name="Final">each layer against itself at the sweep's last checkpoint.</param>
    /// <param name="Peer">each layer (rows) against each layer of the peer network (columns, in <paramref name="PeerLayers"/> order); null without a peer.</param>
    public sealed record Result(
        ImmutableArray<string> Layers, SimilarityMatrix Matrix, double[]? Previous, double[]? Final, IReadOnlyDictionary<string, NonFiniteTap> NonFinite)
    {
        public SimilarityMatrix? Peer { get; init; }

        public ImmutableArray<string> PeerLayers { get; init; } = [];
    }

    /// <summary>The checkpoints this one is compared with: the previous and the last of the sweep, and the peer network's, each when there is one.</summary>
    public sealed record Comparisons(CheckpointRef? Previous, CheckpointRef? Last, JobInputs? Peer);

    public static Result Run(
        ActivationJob activations, JobInputs inputs, ImmutableArray<LayerRef> layers, Comparisons comparisons, CkaSettings settings, torch.Device device, CancellationToken ct)
    {
        var here = activations.Run(inputs, layers, device, ct);
        var finite = here.Finite(layers).Select(l => l.Name).ToList();
        var probeSet = ProbeSet(here, finite, settings.Samples);
        var matrix = LinearCka.Layers(probeSet, settings.Options, device);

        double[]? Against(CheckpointRef? other)
        {
            if (other is null) return null;
            var there = other == inputs.Checkpoint ? here : activations.Run(inputs.At(other), layers, device, ct);
            // A layer not finite there compares as NaN, and its point is left out.
            var theirs = finite.Select(l => there.Layers.ContainsKey(l) ? Rows(there.Layers[l].Test, settings.Samples) : null).ToList();
            var pairs = Enumerable.Range(0, finite.Count).Where(i => theirs[i] is not null).ToList();
            var values = LinearCka.SameLayer(pairs.Select(i => probeSet[i]).ToList(), pairs.Select(i => theirs[i]!).ToList(), settings.Options, device);
            var all = Enumerable.Repeat(double.NaN, finite.Count).ToArray();
            for (var k = 0; k < pairs.Count; k++) all[pairs[k]] = values[k];
            return all;
        }

        var result = new Result([.. finite], matrix, Against(comparisons.Previous), Against(comparisons.Last), here.NonFinite);
        if (comparisons.Peer is not { } peer) return result;
        // The same inputs through the other network: its finite layers are the columns.
        var peerActivations = activations.Run(peer, layers, device, ct);
        var peerLayers = peerActivations.Finite(layers).Select(l => l.Name).ToList();
        return result with
        {
            Peer = LinearCka.Between(probeSet, ProbeSet(peerActivations, peerLayers, settings.Samples), settings.Options, device),
            PeerLayers = [.. peerLayers],
        };
    }

    /// <summary>Bytes at the peak: the activations of this checkpoint, the previous, the last and the peer's, held at once.</summary>
    public static long EstimateBytes(JobInputs inputs, IReadOnlyCollection<LayerRef> layers, bool hasPeer) =>
        inputs.PeakBytes((hasPeer ? 4 : 3) * 2 * inputs.Rows * layers.Sum(l => (long)l.Width));

    private static List<FeatureMatrix> ProbeSet(CheckpointActivations activations, IReadOnlyList<string> layers, int samples) =>
        layers.Select(l => Rows(activations.Layers[l].Test, samples)).ToList();

    /// <summary>The first <paramref name="rows"/> samples of a split: the probe set, the same at every checkpoint.</summary>
    private static FeatureMatrix Rows(FeatureMatrix split, int rows) =>
        rows >= split.Rows ? split : new FeatureMatrix(split.Data[..(rows * split.Columns)], rows, split.Columns);
}
