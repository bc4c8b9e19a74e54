using System.IO.Enumeration;
using System.Text.RegularExpressions;

namespace ProbeGrid.Analysis.Checkpoints;

/// <summary>
/// Finds a run's checkpoints and orders them by training time. With an <c>index.json</c> in the
/// folder its order (by step) is authoritative; otherwise files matching the pattern, and checkpoint
/// folders (<see cref="CheckpointFolder"/>, e.g. Hugging Face's checkpoint-500/), are ordered
/// by the step number in their names (step-000100.pt, ckpt_5.safetensors, checkpoint-500), or, when some
/// name has no number, by modification time. A sharded checkpoint is one checkpoint: its index file (or
/// the folder holding it), never its shards one by one. A trainer's side files (optimizer.pt,
/// rng_state.pth, training_args.bin: <see cref="CheckpointFolder.TrainerFilePatterns"/>) are never checkpoints.
/// </summary>
public static partial class CheckpointDiscovery
{
    /// <summary>The patterns a bare folder is searched with (';' separates patterns).</summary>
    public const string DefaultPatterns = "*.pt;*.pth;*.bin;*.safetensors;*.safetensors.index.json;*.bin.index.json";

    /// <param name="folderOrGlob">
    /// A folder (searched with <see cref="DefaultPatterns"/>, and for checkpoint folders), a glob whose last segment
    /// holds the wildcards (e.g. <c>/runs/a/step-*.pt</c>, <c>/runs/a/*.pt;*.safetensors</c> or <c>/runs/a/checkpoint-*</c>),
    /// one file, or one checkpoint folder holding a sharded checkpoint (a folder with no checkpoint folders inside).
    /// </param>
    /// <param name="mayRead">
    /// Whether a file may be read: the host's data roots, judging a symbolic link by where it leads
    /// (null: every file). Each checkpoint found (each shard of a sharded one), and the folder's index.json, is
    /// checked with it, and a refused file is reported (all of them at once), never opened.
    /// </param>
    /// <param name="allowNone">a folder with no checkpoint yet is an empty list, not an error (a sweep that follows a run just begun).</param>
    /// <exception cref="CheckpointException">
    /// The folder does not exist, no checkpoint matches, the index names missing files, or some
    /// checkpoint (or index.json) lies outside what <paramref name="mayRead"/> allows.
    /// </exception>
    public static IReadOnlyList<DiscoveredCheckpoint> Find(string folderOrGlob, Func<string, bool>? mayRead = null, bool allowNone = false)
    {
        mayRead ??= _ => true;
        if (File.Exists(folderOrGlob))
            return [Single(folderOrGlob, mayRead)];
        if (Directory.Exists(folderOrGlob) && IsShardedFolder(folderOrGlob) && !SubfolderCheckpoints(folderOrGlob, DefaultPatternList).Any())
            return [Single(folderOrGlob, mayRead)];
        var (folder, patterns) = Split(folderOrGlob);
        if (!Directory.Exists(folder))
            throw new CheckpointException(folder, "the checkpoint folder does not exist.",
                "Check the path in the sweep spec (a folder, or a folder plus a file pattern such as /runs/a/step-*.pt), and that the data root is mounted.");

        var index = LoadIndex(folder, mayRead);
        var found = index is not null ? FromIndex(folder, index, patterns, ReferenceEquals(patterns, DefaultPatternList), mayRead) : FromFileNames(folder, patterns, mayRead);
        if (found.Count == 0 && !allowNone)
            throw new CheckpointException(folderOrGlob,
                $"no checkpoint matches {string.Join(" or ", patterns)}{(index is null ? "" : " in its index.json")}.",
                $"Point the sweep at the folder that holds the checkpoint files (.pt, .pth, .bin, .safetensors, sharded *.index.json) or checkpoint folders (e.g. checkpoint-500/), or give a pattern that matches them (default {DefaultPatterns}).");
        return found;
    }

    /// <summary>The index.json of the folder <paramref name="folderOrGlob"/> names (the folder itself, or a glob's folder), or null when it has none.</summary>
    /// <exception cref="CheckpointException">index.json exists but cannot be read.</exception>
    public static CheckpointIndex? IndexOf(string folderOrGlob) =>
        CheckpointIndex.TryLoad(Directory.Exists(folderOrGlob) ? folderOrGlob : Path.GetDirectoryName(folderOrGlob) is { Length: > 0 } folder ? folder : ".");

    /// <summary>The step number in a checkpoint's file name: its last run of digits (step-000100.pt → 100, checkpoint-500 → 500), or null.</summary>
    public static long? StepFromFileName(string fileName)
    {
        var name = Path.GetFileName(fileName.TrimEnd('/', Path.DirectorySeparatorChar));
        if (name.EndsWith(ShardedCheckpoint.IndexSuffix, StringComparison.OrdinalIgnoreCase))
            name = name[..^ShardedCheckpoint.IndexSuffix.Length];
        var match = LastNumber().Match(Path.GetFileNameWithoutExtension(name));
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
        var full = Path.GetFullPath(path).TrimEnd(Path.DirectorySeparatorChar);
        if (!mayRead(full))
            throw new CheckpointException(full, $"{Describe(full)} lies outside the data roots.", OutsideFix);
        var outside = OutsideParts(full, mayRead);
        if (outside.Count > 0)
            throw new CheckpointException(full, outside, OutsideFix);
        if (Directory.Exists(full))
            return new DiscoveredCheckpoint(full, StepFromFileName(full), WrittenAt(full), null);
        var folder = Path.GetDirectoryName(full)!;
        var entry = LoadIndex(folder, mayRead)?.Entries.FirstOrDefault(e => Path.GetFullPath(Path.Combine(folder, e.File)) == full);
        return entry is not null
            ? new DiscoveredCheckpoint(full, entry.Step, entry.WrittenAt, entry.TrainLoss) { Recorded = true }
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
                found.Add(new DiscoveredCheckpoint(full, e.Step, e.WrittenAt, e.TrainLoss) { Recorded = true });
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
        var matching = new DirectoryInfo(folder).EnumerateFiles()
            .Where(f => Matches(f.Name, patterns) && !Matches(f.Name, TrainerFiles))
            .OrderBy(f => f.Name, StringComparer.Ordinal).ToList();
        // A sharded checkpoint is its index: its shards are not checkpoints of their own.
        var shards = matching.Where(f => ShardedCheckpoint.IsIndexName(f.Name) && mayRead(f.FullName))
            .SelectMany(f => ShardedCheckpoint.Shards(f.FullName)).ToHashSet(StringComparer.Ordinal);
        var files = matching.Where(f => !shards.Contains(f.FullName)).Select(f => (Path: f.FullName, f.Name)).ToList();
        var subfolders = SubfolderCheckpoints(folder, patterns).Select(d => (Path: d.FullName, d.Name)).ToList();

        var outside = new List<string>();
        foreach (var (path, name) in files.Concat(subfolders))
        {
            if (!mayRead(path))
                outside.Add($"'{name}' is {Describe(path)}: outside the data roots.");
            else
                outside.AddRange(OutsideParts(path, mayRead).Select(p => $"'{name}': {p}"));
        }
        if (outside.Count > 0)
            throw new CheckpointException(folder, outside, OutsideFix);

        var found = files.Concat(subfolders)
            .Select(f => new DiscoveredCheckpoint(f.Path, StepFromFileName(f.Name), WrittenAt(f.Path), null)).ToList();
        var allNumbered = found.All(f => f.Step is not null);
        return allNumbered
            ? [.. found.OrderBy(f => f.Step).ThenBy(f => f.Path, StringComparer.Ordinal)]
            : [.. found.OrderBy(f => f.WrittenAt).ThenBy(f => f.Path, StringComparer.Ordinal)];
    }

    private static readonly string[] TrainerFiles = [.. CheckpointFolder.TrainerFilePatterns];

    /// <summary>The checkpoint folders directly inside <paramref name="folder"/>: all of them for the default patterns, else those a pattern names.</summary>
    private static IEnumerable<DirectoryInfo> SubfolderCheckpoints(string folder, string[] patterns) =>
        new DirectoryInfo(folder).EnumerateDirectories()
            .Where(d => (ReferenceEquals(patterns, DefaultPatternList) || Matches(d.Name, patterns)) && CheckpointFolder.WeightsIn(d.FullName) is not null)
            .OrderBy(d => d.Name, StringComparer.Ordinal);

    private static bool IsShardedFolder(string folder) =>
        CheckpointFolder.WeightsIn(folder) is string weights && ShardedCheckpoint.IsIndexName(weights);

    /// <summary>The files of a checkpoint (a folder's weights, an index's shards) that <paramref name="mayRead"/> refuses, as problems.</summary>
    private static List<string> OutsideParts(string checkpoint, Func<string, bool> mayRead)
    {
        if (!Directory.Exists(checkpoint) && !ShardedCheckpoint.IsIndexName(checkpoint))
            return [];
        return [.. CheckpointFolder.FilesOf(checkpoint).Where(f => !mayRead(f))
            .Select(f => $"its file '{Path.GetFileName(f)}' is {Describe(f)}: outside the data roots.")];
    }

    /// <summary>When a checkpoint was written: a file's time, or its weights' time for a checkpoint folder.</summary>
    private static DateTime WrittenAt(string path) =>
        File.GetLastWriteTimeUtc(Directory.Exists(path) ? CheckpointFolder.WeightsIn(path) ?? path : path);

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
