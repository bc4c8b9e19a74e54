using ProbeGrid.Analysis.Checkpoints;
using ProbeGrid.GrainsInterfaces.Specs;
using ProbeGrid.GrainsInterfaces.Sweeps;

namespace ProbeGrid.Grains.Planning;

/// <summary>
/// What changed in a sweep's checkpoint folder since its plan was made: checkpoints added, gone or
/// rewritten. A re-submitted sweep whose folder changed is refused with this list rather than
/// reporting its old results as if they covered the folder as it is now.
/// </summary>
public static class CheckpointChanges
{
    /// <summary>
    /// Why the planned sweep cannot resume from <paramref name="spec"/> (the spec it was planned from): its checkpoint
    /// folder changed, or the spec no longer plans at all. Empty when it can. Reads the folder: run it on the executor.
    /// </summary>
    public static IReadOnlyList<string> Refusal(SweepPlan plan, SweepSpec spec, SweepPlanner planner)
    {
        var sweepId = plan.SweepId;
        try
        {
            var now = planner.Plan(spec, sweepId).Checkpoints;
            // A following sweep expects checkpoints to be added (it plans none up front); those it planned must still be there as they were.
            if (spec.Follow is not null) now = [.. plan.Checkpoints.Where(c => c.Path is not null && Exists(c.Path)).Select(c => c with { ContentHash = HashOrNull(c.Path!) })];
            var changes = Between(plan.Checkpoints, now, ignoreAdded: spec.Follow is not null);
            if (changes.Count == 0) return [];
            return [$"sweep '{sweepId}' was planned from {plan.Checkpoints.Length} checkpoints in {spec.Model.Checkpoints}, and the folder has changed since: " +
                    $"{string.Join("; ", changes)}. Its results describe the checkpoints it planned. To analyse the folder as it is now, give the spec a new " +
                    "sweepId (or leave sweepId out: an edited spec file gets a new one); to finish the planned sweep, restore the folder as it was"];
        }
        catch (SpecException e)
        {
            return e.Problems.Select(p => $"sweep '{sweepId}' cannot resume, its spec no longer plans: {p}").ToList();
        }
    }

    /// <returns>One line per change (empty when the folder still holds exactly what was planned).</returns>
    /// <param name="ignoreAdded">checkpoints in the folder that were not planned are no change (a sweep that follows the run adds them itself).</param>
    public static IReadOnlyList<string> Between(IReadOnlyList<CheckpointRef> planned, IReadOnlyList<CheckpointRef> now, bool ignoreAdded = false)
    {
        var changes = new List<string>();
        var nowByPath = now.Where(c => c.Path is not null).ToDictionary(c => c.Path!, StringComparer.Ordinal);
        var plannedPaths = planned.Where(c => c.Path is not null).Select(c => c.Path!).ToHashSet(StringComparer.Ordinal);
        var added = now.Where(c => c.Path is not null && !plannedPaths.Contains(c.Path)).ToList();
        if (added.Count > 0 && !ignoreAdded)
            changes.Add($"{Count(added.Count)} added: {Names(added)}");
        var gone = planned.Where(c => c.Path is not null && !nowByPath.ContainsKey(c.Path)).ToList();
        if (gone.Count > 0)
            changes.Add($"{Count(gone.Count)} gone: {Names(gone)}");
        // Plans made before content hashes were recorded have none to compare: only their presence is checked.
        var rewritten = planned.Where(c => c.Path is not null && c.ContentHash is not null
                                           && nowByPath.TryGetValue(c.Path, out var current) && current.ContentHash != c.ContentHash).ToList();
        if (rewritten.Count > 0)
            changes.Add($"{Count(rewritten.Count)} rewritten (content differs from when the sweep was planned): {Names(rewritten)}");
        var reordered = planned.Where(c => c.Path is not null && nowByPath.TryGetValue(c.Path, out var current) && current.Step != c.Step).ToList();
        if (reordered.Count > 0)
            changes.Add($"{Count(reordered.Count)} with another step now: {string.Join(", ", reordered.Take(MaxNamed).Select(c => $"{c.Name} (step {c.Step} -> {nowByPath[c.Path!].Step})"))}{More(reordered.Count)}");
        return changes;
    }

    private static bool Exists(string path) => File.Exists(path) || Directory.Exists(path);

    private static string? HashOrNull(string path)
    {
        try { return CheckpointFingerprint.Of(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CheckpointException) { return null; }
    }

    private const int MaxNamed = 10;

    private static string Count(int n) => n == 1 ? "1 checkpoint" : $"{n} checkpoints";

    private static string Names(IReadOnlyList<CheckpointRef> checkpoints) =>
        string.Join(", ", checkpoints.Take(MaxNamed).Select(c => Path.GetFileName(c.Path))) + More(checkpoints.Count);

    private static string More(int count) => count > MaxNamed ? $" and {count - MaxNamed} more" : "";
}
