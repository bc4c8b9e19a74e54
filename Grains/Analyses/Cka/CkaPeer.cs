using ProbeGrid.GrainsInterfaces.Sweeps;

namespace ProbeGrid.Grains.Analyses;

/// <summary>
/// Another network, trained on the same data (another seed, width or architecture), whose layers a CKA sweep compares
/// with its own: the paper's cross-network comparison. Its checkpoints pair with the sweep's by training step; a
/// folder with a single checkpoint is a reference every checkpoint is compared with.
/// </summary>
/// <param name="Folder">the peer's checkpoint folder, as the absolute path checked against the data roots.</param>
/// <param name="Architecture">the peer's network: its folder's model.json, else the analysed network's.</param>
[GenerateSerializer, Immutable, Alias("probegrid.cka-peer")]
public sealed record CkaPeer(
    [property: Id(0)] string Folder,
    [property: Id(1)] string Architecture,
    [property: Id(2)] ImmutableSortedDictionary<string, string> Parameters,
    [property: Id(3)] ImmutableArray<CheckpointRef> Checkpoints)
{
    /// <summary>The peer's checkpoint compared with <paramref name="checkpoint"/>: the one at the same step, or the only one; null when there is none.</summary>
    public CheckpointRef? For(CheckpointRef checkpoint) =>
        Checkpoints.Length == 1 ? Checkpoints[0] : Checkpoints.FirstOrDefault(c => c.Step == checkpoint.Step);
}
