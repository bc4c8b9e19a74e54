using System.Text.Json;
using System.Text.Json.Serialization;

namespace ProbeGrid.Analysis.Checkpoints;

/// <summary>
/// The <c>index.json</c> of a checkpoint folder: which checkpoints a training run wrote, in step
/// order, so a sweep orders them by training time without guessing from file names. Every change
/// rewrites the file atomically (temporary file + rename), so a reader never sees half of it. A writer
/// lists a checkpoint only once its file is whole and on disk; <see cref="Finished"/> says the run has ended
/// (a following sweep stops looking for more).
/// </summary>
public sealed class CheckpointIndex
{
    public const string FileName = "index.json";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
    };

    private CheckpointIndex(IReadOnlyList<CheckpointIndexEntry> entries, DateTime? finishedAt)
    {
        Entries = entries;
        FinishedAt = finishedAt;
    }

    /// <summary>Entries ordered by step, one per step.</summary>
    public IReadOnlyList<CheckpointIndexEntry> Entries { get; }

    /// <summary>The training run wrote its last checkpoint: no more entries will come (until the run is continued).</summary>
    public bool Finished => FinishedAt is not null;

    /// <summary>When the run ended (UTC), or null while it runs (or was interrupted).</summary>
    public DateTime? FinishedAt { get; }

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
        return new CheckpointIndex(Ordered(entries), file?.Finished == true ? file.FinishedAt ?? DateTime.MinValue : null);
    }

    /// <summary>
    /// Adds an entry (replacing any entry for the same step) and rewrites index.json atomically. Call it only once the
    /// checkpoint's file is whole and flushed to disk: a following sweep reads every listed file at once. The run is
    /// running again, so a finished mark is dropped.
    /// </summary>
    public static CheckpointIndex Append(string folder, CheckpointIndexEntry entry)
    {
        var existing = TryLoad(folder)?.Entries ?? [];
        return Write(folder, [.. existing.Where(e => e.Step != entry.Step), entry], finishedAt: null);
    }

    /// <summary>Drops the entries after <paramref name="step"/>: a resumed run rewrites them (and is not finished).</summary>
    public static CheckpointIndex RemoveAfter(string folder, long step)
    {
        var existing = TryLoad(folder)?.Entries ?? [];
        return Write(folder, [.. existing.Where(e => e.Step <= step)], finishedAt: null);
    }

    /// <summary>Marks the run finished (its last checkpoint is listed), so sweeps that follow it stop looking.</summary>
    public static CheckpointIndex MarkFinished(string folder, DateTime finishedAt)
    {
        var existing = TryLoad(folder)?.Entries ?? [];
        return Write(folder, existing, finishedAt);
    }

    private static CheckpointIndex Write(string folder, IEnumerable<CheckpointIndexEntry> entries, DateTime? finishedAt)
    {
        var ordered = Ordered(entries);
        Directory.CreateDirectory(folder);
        AtomicFile.WriteAllText(PathIn(folder), JsonSerializer.Serialize(new IndexFile(1, [.. ordered], finishedAt is not null ? true : null, finishedAt), Json));
        return new CheckpointIndex(ordered, finishedAt);
    }

    private static CheckpointIndexEntry[] Ordered(IEnumerable<CheckpointIndexEntry> entries) =>
        [.. entries.OrderBy(e => e.Step).ThenBy(e => e.File, StringComparer.Ordinal)];

    /// <summary>The file: <c>finished</c> and <c>finishedAt</c> only once the run has ended (absent while it runs, and in older files).</summary>
    private sealed record IndexFile(
        int Version,
        List<CheckpointIndexEntry> Entries,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? Finished = null,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTime? FinishedAt = null);
}
