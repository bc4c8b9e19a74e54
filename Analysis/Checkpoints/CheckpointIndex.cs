using System.Text.Json;

namespace ProbeGrid.Analysis.Checkpoints;

/// <summary>
/// The <c>index.json</c> of a checkpoint folder: which checkpoints a training run wrote, in step
/// order, so a sweep orders them by training time without guessing from file names. Every change
/// rewrites the file atomically (temporary file + rename), so a reader never sees half of it.
/// </summary>
public sealed class CheckpointIndex
{
    public const string FileName = "index.json";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
    };

    private CheckpointIndex(IReadOnlyList<CheckpointIndexEntry> entries) => Entries = entries;

    /// <summary>Entries ordered by step, one per step.</summary>
    public IReadOnlyList<CheckpointIndexEntry> Entries { get; }

    public static string PathIn(string folder) => Path.Combine(folder, FileName);

    /// <summary>The folder's index, or null when it has none.</summary>
    /// <exception cref="CheckpointException">index.json exists but cannot be read.</exception>
    public static CheckpointIndex? TryLoad(string folder)
    {
        var path = PathIn(folder);
        if (!File.Exists(path))
            return null;
        const string fix = "Delete index.json to fall back to ordering checkpoints by the step number in their file names.";
        IndexFile? file;
        try
        {
            file = JsonSerializer.Deserialize<IndexFile>(File.ReadAllText(path), Json);
        }
        catch (JsonException e)
        {
            throw new CheckpointException(path, $"is not a valid checkpoint index ({e.Message}).", fix, e);
        }
        var entries = file?.Entries ?? [];
        var bad = entries.Where(e => e is null || string.IsNullOrWhiteSpace(e.File) || e.Step < 0).ToList();
        if (bad.Count > 0)
            throw new CheckpointException(path, $"has {bad.Count} entries without a file name or with a negative step.", fix);
        return new CheckpointIndex(Ordered(entries));
    }

    /// <summary>Adds an entry (replacing any entry for the same step) and rewrites index.json atomically.</summary>
    public static CheckpointIndex Append(string folder, CheckpointIndexEntry entry)
    {
        var existing = TryLoad(folder)?.Entries ?? [];
        return Write(folder, [.. existing.Where(e => e.Step != entry.Step), entry]);
    }

    /// <summary>Drops the entries after <paramref name="step"/>: a resumed run rewrites them.</summary>
    public static CheckpointIndex RemoveAfter(string folder, long step)
    {
        var existing = TryLoad(folder)?.Entries ?? [];
        return Write(folder, [.. existing.Where(e => e.Step <= step)]);
    }

    private static CheckpointIndex Write(string folder, IEnumerable<CheckpointIndexEntry> entries)
    {
        var ordered = Ordered(entries);
        Directory.CreateDirectory(folder);
        AtomicFile.WriteAllText(PathIn(folder), JsonSerializer.Serialize(new IndexFile(1, [.. ordered]), Json));
        return new CheckpointIndex(ordered);
    }

    private static CheckpointIndexEntry[] Ordered(IEnumerable<CheckpointIndexEntry> entries) =>
        [.. entries.OrderBy(e => e.Step).ThenBy(e => e.File, StringComparer.Ordinal)];

    private sealed record IndexFile(int Version, List<CheckpointIndexEntry> Entries);
}
