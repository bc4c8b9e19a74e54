using ProbeGrid.GrainsInterfaces.Specs;

namespace ProbeGrid.Client;

/// <summary>
/// Makes a spec's file paths absolute against the folder the user ran the command in, before it
/// is submitted: silos resolve paths themselves and do not share the client's working folder.
/// </summary>
public static class SpecPaths
{
    public const string DatasetRoot = "root";

    public static SweepSpec Absolutize(SweepSpec spec, string baseDirectory)
    {
        var model = spec.Model.Checkpoints is { } checkpoints && !Path.IsPathRooted(checkpoints)
            ? spec.Model with { Checkpoints = Path.GetFullPath(checkpoints, baseDirectory) }
            : spec.Model;
        var dataset = spec.Dataset.Parameters.TryGetValue(DatasetRoot, out var root) && !Path.IsPathRooted(root)
            ? spec.Dataset with { Parameters = spec.Dataset.Parameters.SetItem(DatasetRoot, Path.GetFullPath(root, baseDirectory)) }
            : spec.Dataset;
        return spec with { Model = model, Dataset = dataset };
    }
}
