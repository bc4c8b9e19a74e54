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
    /// <param name="mayRead">
    /// Whether a file may be read: the host's data roots, judging a symbolic link by where it leads
    /// (null: every file). Each checkpoint found, and the folder's index.json, is checked with it,
    /// and a refused file is reported (all of them at once), never opened.
    /// </param>
    /// <exception cref="CheckpointException">
    /// The folder does not exist, no checkpoint matches, the index names missing files, or some
    /// checkpoint (or index.json) lies outside what <paramref name="mayRead"/> allows.
    /// </exception>
    public static IReadOnlyList<DiscoveredCheckpoint> Find(string folderOrGlob, Func<string, bool>? mayRead = null)
    {
        mayRead ??= _ => true;
        if (File.Exists(folderOrGlob))
            return [Single(folderOrGlob, mayRead)];
        var (folder, patterns) = Split(folderOrGlob);
        if (!Directory.Exists(folder))
            throw new CheckpointException(folder, "the checkpoint folder does not exist.",
                "Check the path in the sweep spec (a folder, or a folder plus a file pattern such as /runs/a/step-*.pt), and that the data root is mounted.");

        var index = LoadIndex(folder, mayRead);
        var found = index is not null ? FromIndex(folder, index, patterns, ReferenceEquals(patterns, DefaultPatternList), mayRead) : FromFileNames(folder, patterns, mayRead);
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

    private static readonly string[] DefaultPatternList = Patterns(DefaultPatterns);

    private static (string Folder, string[] Patterns) Split(string folderOrGlob)
    {
        if (Directory.Exists(folderOrGlob))
            return (folderOrGlob, DefaultPatternList);
        var folder = Path.GetDirectoryName(folderOrGlob);
        var last = Path.GetFileName(folderOrGlob);
        if (last.IndexOfAny(['*', '?', ';']) < 0)
            return (folderOrGlob, DefaultPatternList); // no pattern: a folder (that does not exist)
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
    private static DiscoveredCheckpoint Single(string path, Func<string, bool> mayRead)
    {
        var full = Path.GetFullPath(path);
        if (!mayRead(full))
            throw new CheckpointException(full, $"{Describe(full)} lies outside the data roots.", OutsideFix);
        var folder = Path.GetDirectoryName(full)!;
        var entry = LoadIndex(folder, mayRead)?.Entries.FirstOrDefault(e => Path.GetFullPath(Path.Combine(folder, e.File)) == full);
        return entry is not null
            ? new DiscoveredCheckpoint(full, entry.Step, entry.WrittenAt, entry.TrainLoss)
            : new DiscoveredCheckpoint(full, StepFromFileName(full), File.GetLastWriteTimeUtc(full), null);
    }

    private const string OutsideFix =
        "Keep every checkpoint under the data roots: replace a symbolic link that leads outside with the file itself, move the files under a data root, or add their folder as one.";

    /// <summary>The folder's index, or null when it has none; refused when index.json leads outside what may be read.</summary>
    private static CheckpointIndex? LoadIndex(string folder, Func<string, bool> mayRead)
    {
        var path = CheckpointIndex.PathIn(folder);
        if (File.Exists(path) && !mayRead(path))
            throw new CheckpointException(path, $"{Describe(path)} lies outside the data roots.",
                "Replace index.json with a file of its own inside the checkpoint folder (not a link to one outside), or delete it to order the checkpoints by their file names.");
        return CheckpointIndex.TryLoad(folder);
    }

    /// <param name="bareFolder">
    /// The sweep named the folder without a pattern: then every entry of the index is meant, and one in a format
    /// ProbeGrid does not read is a problem, not something to leave out silently.
    /// </param>
    private static List<DiscoveredCheckpoint> FromIndex(string folder, CheckpointIndex index, string[] patterns, bool bareFolder, Func<string, bool> mayRead)
    {
        var found = new List<DiscoveredCheckpoint>();
        var outside = new List<string>();
        var missing = new List<string>();
        var unreadable = bareFolder
            ? index.Entries.Where(e => !Matches(Path.GetFileName(e.File), patterns))
                .Select(e => $"index.json lists step {e.Step} as '{e.File}', which is not a checkpoint format ProbeGrid reads ({string.Join(" or ", patterns)}).").ToList()
            : [];
        foreach (var e in index.Entries.Where(e => Matches(Path.GetFileName(e.File), patterns)))
        {
            var full = Path.GetFullPath(Path.Combine(folder, e.File));
            if (!mayRead(full))
                outside.Add($"index.json lists step {e.Step} as '{e.File}', which is {Describe(full)}: outside the data roots.");
            else if (!File.Exists(full))
                missing.Add($"index.json lists step {e.Step} as '{e.File}', which does not exist.");
            else
                found.Add(new DiscoveredCheckpoint(full, e.Step, e.WrittenAt, e.TrainLoss));
        }
        if (outside.Count + missing.Count + unreadable.Count > 0)
        {
            var fixes = new List<string>();
            if (unreadable.Count > 0)
                fixes.Add("Convert those checkpoints to .pt (TorchSharp) or .safetensors, or name the ones to analyse with a pattern after the folder (e.g. /runs/a/*.pt).");
            if (outside.Count > 0)
                fixes.Add("Make index.json list files inside the data roots (names relative to the checkpoint folder), replacing links that lead outside with the files themselves.");
            if (missing.Count > 0)
                fixes.Add("Restore the missing files.");
            fixes.Add("Or delete index.json to order the checkpoints in the folder by their file names.");
            throw new CheckpointException(CheckpointIndex.PathIn(folder), [.. outside, .. missing, .. unreadable], string.Join(" ", fixes));
        }
        return found;
    }

    private static List<DiscoveredCheckpoint> FromFileNames(string folder, string[] patterns, Func<string, bool> mayRead)
    {
        var matching = new DirectoryInfo(folder).EnumerateFiles().Where(f => Matches(f.Name, patterns)).OrderBy(f => f.Name, StringComparer.Ordinal).ToList();
        var outside = matching.Where(f => !mayRead(f.FullName)).Select(f => $"'{f.Name}' is {Describe(f.FullName)}: outside the data roots.").ToList();
        if (outside.Count > 0)
            throw new CheckpointException(folder, outside, OutsideFix);

        var files = matching.Select(f => new DiscoveredCheckpoint(f.FullName, StepFromFileName(f.Name), f.LastWriteTimeUtc, null)).ToList();
        var allNumbered = files.All(f => f.Step is not null);
        return allNumbered
            ? [.. files.OrderBy(f => f.Step).ThenBy(f => f.Path, StringComparer.Ordinal)]
            : [.. files.OrderBy(f => f.WrittenAt).ThenBy(f => f.Path, StringComparer.Ordinal)];
    }

    /// <summary>A path for a message: where a symbolic link leads, so the reader sees why it is refused.</summary>
    private static string Describe(string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (info.LinkTarget is not null)
                return $"{path}, a symbolic link to {info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? info.LinkTarget}";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // the plain path says enough
        }
        return path;
    }

    [GeneratedRegex(@"\d+(?=\D*$)")]
    private static partial Regex LastNumber();
}
