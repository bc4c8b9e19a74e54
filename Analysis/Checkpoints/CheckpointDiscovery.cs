using System.IO.Enumeration;
using System.Text.RegularExpressions;

namespace ProbeGrid.Analysis.Checkpoints;

/// <summary>
/// Finds a run's checkpoints and orders them by training time. With an <c>index.json</c> in the
/// folder its order (by step) is authoritative; otherwise files matching the pattern are ordered
/// by the step number in their names (step-000100.pt, ckpt_5.safetensors), or, when some name has
/// no number, by modification time.
/// </summary>
public static partial class CheckpointDiscovery
{
    /// <summary>The patterns a bare folder is searched with (';' separates patterns).</summary>
    public const string DefaultPatterns = "*.pt;*.safetensors";

    /// <param name="folderOrGlob">
    /// A folder (searched with <see cref="DefaultPatterns"/>), a glob whose last segment holds the
    /// wildcards (e.g. <c>/runs/a/step-*.pt</c> or <c>/runs/a/*.pt;*.safetensors</c>), or one file.
    /// </param>
    /// <exception cref="CheckpointException">The folder does not exist, no checkpoint matches, or the index names missing files.</exception>
    public static IReadOnlyList<DiscoveredCheckpoint> Find(string folderOrGlob)
    {
        if (File.Exists(folderOrGlob))
            return [Single(folderOrGlob)];
        var (folder, patterns) = Split(folderOrGlob);
        if (!Directory.Exists(folder))
            throw new CheckpointException(folder, "the checkpoint folder does not exist.",
                "Check the path in the sweep spec (a folder, or a folder plus a file pattern such as /runs/a/step-*.pt), and that the data root is mounted.");

        var index = CheckpointIndex.TryLoad(folder);
        var found = index is not null ? FromIndex(folder, index, patterns) : FromFileNames(folder, patterns);
        if (found.Count == 0)
            throw new CheckpointException(folderOrGlob,
                $"no checkpoint matches {string.Join(" or ", patterns)}{(index is null ? "" : " in its index.json")}.",
                $"Point the sweep at the folder that holds the .pt or .safetensors files, or give a pattern that matches them (default {DefaultPatterns}).");
        return found;
    }

    /// <summary>The step number in a checkpoint's file name: its last run of digits (step-000100.pt → 100), or null.</summary>
    public static long? StepFromFileName(string fileName)
    {
        var match = LastNumber().Match(Path.GetFileNameWithoutExtension(fileName));
        return match.Success && long.TryParse(match.Value, out var step) ? step : null;
    }

    private static (string Folder, string[] Patterns) Split(string folderOrGlob)
    {
        if (Directory.Exists(folderOrGlob))
            return (folderOrGlob, Patterns(DefaultPatterns));
        var folder = Path.GetDirectoryName(folderOrGlob);
        var last = Path.GetFileName(folderOrGlob);
        if (last.IndexOfAny(['*', '?', ';']) < 0)
            return (folderOrGlob, Patterns(DefaultPatterns)); // no pattern: a folder (that does not exist)
        if (string.IsNullOrEmpty(folder))
            folder = ".";
        if (folder.IndexOfAny(['*', '?']) >= 0)
            throw new CheckpointException(folderOrGlob, "wildcards are allowed only in the last path segment (the file names).",
                "Name the folder literally and put the pattern last, e.g. /runs/a/step-*.pt.");
        return (folder, Patterns(last));
    }

    private static string[] Patterns(string text) =>
        text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static bool Matches(string fileName, string[] patterns) =>
        patterns.Any(p => FileSystemName.MatchesSimpleExpression(p, fileName, ignoreCase: true));

    /// <summary>One named file: its step and loss from the folder's index when listed there, else from its name.</summary>
    private static DiscoveredCheckpoint Single(string path)
    {
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full)!;
        var entry = CheckpointIndex.TryLoad(folder)?.Entries.FirstOrDefault(e => Path.GetFullPath(Path.Combine(folder, e.File)) == full);
        return entry is not null
            ? new DiscoveredCheckpoint(full, entry.Step, entry.WrittenAt, entry.TrainLoss)
            : new DiscoveredCheckpoint(full, StepFromFileName(full), File.GetLastWriteTimeUtc(full), null);
    }

    private static List<DiscoveredCheckpoint> FromIndex(string folder, CheckpointIndex index, string[] patterns)
    {
        var entries = index.Entries.Where(e => Matches(Path.GetFileName(e.File), patterns)).ToList();
        var missing = entries.Where(e => !File.Exists(Path.Combine(folder, e.File))).Select(e => $"index.json lists step {e.Step} as '{e.File}', which does not exist.").ToList();
        if (missing.Count > 0)
            throw new CheckpointException(CheckpointIndex.PathIn(folder), missing,
                "Restore the missing files, or delete index.json to order the checkpoints that exist by their file names.");
        return entries.Select(e => new DiscoveredCheckpoint(Path.GetFullPath(Path.Combine(folder, e.File)), e.Step, e.WrittenAt, e.TrainLoss)).ToList();
    }

    private static List<DiscoveredCheckpoint> FromFileNames(string folder, string[] patterns)
    {
        var files = new DirectoryInfo(folder).EnumerateFiles()
            .Where(f => Matches(f.Name, patterns))
            .Select(f => new DiscoveredCheckpoint(f.FullName, StepFromFileName(f.Name), f.LastWriteTimeUtc, null))
            .ToList();
        var allNumbered = files.All(f => f.Step is not null);
        return allNumbered
            ? [.. files.OrderBy(f => f.Step).ThenBy(f => f.Path, StringComparer.Ordinal)]
            : [.. files.OrderBy(f => f.WrittenAt).ThenBy(f => f.Path, StringComparer.Ordinal)];
    }

    [GeneratedRegex(@"\d+(?=\D*$)")]
    private static partial Regex LastNumber();
}
