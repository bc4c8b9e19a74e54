using ProbeGrid.Analysis.Checkpoints;
using ProbeGrid.Analysis.Zoo;
using ProbeGrid.GrainsInterfaces.Sweeps;

namespace ProbeGrid.Grains.Analyses;

/// <summary>The CKA peer at plan time: its folder under the data roots, its network, its checkpoints paired with the sweep's, and its layers.</summary>
internal static class CkaPeerPlanning
{
    /// <summary>The peer the <c>peer</c> parameter names, or null with every problem added, each naming the field and the fix.</summary>
    public static CkaPeer? Resolve(string folderText, AnalysisPlanContext context, string path, List<string> problems)
    {
        var field = $"{path}.parameters.{CkaAnalysis.PeerParameter}";
        var folder = context.UnderDataRoots(folderText, field, "the peer's checkpoints", problems);
        if (folder is null || context.Architecture is null) return null;
        var before = problems.Count;
        ImmutableArray<CheckpointRef> checkpoints = [];
        ModelDescriptor? descriptor = null;
        try
        {
            // Every file is judged by the data roots, as the sweep's own checkpoints are.
            checkpoints = [.. CheckpointDiscovery.Find(folder, file => context.UnderDataRoots(file, field, "it", []) is not null)
                .Select((c, i) => new CheckpointRef(c.Name, c.Step ?? i, c.Path, CheckpointFingerprint.Of(c.Path)))];
            descriptor = ModelDescriptor.TryLoad(Directory.Exists(folder) ? folder : Path.GetDirectoryName(folder)!);
        }
        catch (Exception e) when (e is IOException or CheckpointException or UnauthorizedAccessException)
        {
            problems.Add($"{field}: {e.Message}");
            return null;
        }
        if (checkpoints.IsEmpty)
        {
            problems.Add($"{field} '{folderText}' holds no checkpoints: name the folder of the other run's checkpoints");
            return null;
        }

        var peer = new CkaPeer(folder, descriptor?.Architecture ?? context.Architecture,
            (descriptor?.Parameters ?? context.ModelParameters).ToImmutableSortedDictionary(StringComparer.Ordinal), checkpoints);
        var unpaired = context.Checkpoints.Where(c => peer.For(c) is null).Select(c => $"{c.Name} (step {c.Step})").ToList();
        if (unpaired.Count > 0)
            problems.Add($"{field}: the peer has no checkpoint at the step of {string.Join(", ", unpaired.Take(5))}{(unpaired.Count > 5 ? $" and {unpaired.Count - 5} more" : "")}: " +
                         "give it checkpoints at the same steps, or a folder with one checkpoint to compare every checkpoint with");
        if (!context.Layers.IsEmpty)
        {
            IReadOnlyList<string> taps;
            try { taps = context.Models.Architectures.TapNames(peer.Architecture, peer.Parameters); }
            catch (ArgumentException e) { problems.Add($"{field}: the peer's network: {e.Message}"); return null; }
            var missing = context.Layers.Where(l => !taps.Contains(l.Name)).Select(l => l.Name).ToList();
            if (missing.Count > 0)
                problems.Add($"{field}: the peer's network ({peer.Architecture}) has no layer {string.Join(", ", missing)}: " +
                             $"list layers both networks have (the peer's are {string.Join(", ", taps)})");
        }
        return problems.Count > before ? null : peer;
    }
}
