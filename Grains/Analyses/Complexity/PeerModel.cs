using ProbeGrid.Analysis.Checkpoints;

namespace ProbeGrid.Grains.Analyses;

/// <summary>
/// The network of a reliability peer: the one its folder's model.json describes (so a peer may be
/// another architecture, as the paper's ResNet-44 peers of a ResNet-8 are), else the analysed network's.
/// </summary>
public static class PeerModel
{
    /// <exception cref="CheckpointException">The peer's model.json exists but is not valid.</exception>
    public static (string Architecture, IReadOnlyDictionary<string, string> Parameters) Describe(
        string checkpoint, string architecture, IReadOnlyDictionary<string, string> parameters) =>
        ModelDescriptor.TryLoad(Path.GetDirectoryName(Path.GetFullPath(checkpoint))!) is { } descriptor
            ? (descriptor.Architecture, descriptor.Parameters)
            : (architecture, parameters);
}
