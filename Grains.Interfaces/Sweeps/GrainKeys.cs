namespace ProbeGrid.GrainsInterfaces.Sweeps;

/// <summary>
/// The string keys of the per-checkpoint and per-unit grains. They start with
/// "sweep|checkpoint|repeat" so the placement can co-locate a checkpoint's units by that prefix.
/// '|' cannot occur in sweep ids, and checkpoint and layer names are escaped.
/// </summary>
public static class GrainKeys
{
    public const char Separator = '|';

    public static string Checkpoint(string sweepId, string checkpoint, int repeat) =>
        $"{sweepId}{Separator}{Escape(checkpoint)}{Separator}{repeat}";

    public static string Unit(string sweepId, UnitKey unit) =>
        $"{Checkpoint(sweepId, unit.Checkpoint, unit.Repeat)}{Separator}{Escape(unit.Layer)}{Separator}{Escape(unit.Analysis)}";

    /// <summary>
    /// Shard <paramref name="shard"/> of <paramref name="shards"/> of a unit's Shapley evaluations. The unit
    /// key is escaped whole, so the key has no checkpoint prefix and placement hashes each shard on its own.
    /// </summary>
    public static string ShapleyShard(string sweepId, UnitKey unit, int shard, int shards) =>
        $"shapley{Separator}{Escape(Unit(sweepId, unit))}#{shard}of{shards}";

    /// <summary>Shard <paramref name="shard"/> of <paramref name="shards"/> of a unit's information-discarding samples; placed like a Shapley shard.</summary>
    public static string DiscardingShard(string sweepId, UnitKey unit, int shard, int shards) =>
        $"discarding{Separator}{Escape(Unit(sweepId, unit))}#{shard}of{shards}";

    /// <summary>The checkpoint part of a checkpoint or unit key: what placement hashes.</summary>
    public static string AffinityOf(string key)
    {
        var parts = key.Split(Separator);
        return parts.Length >= 3 ? string.Join(Separator, parts.Take(3)) : key;
    }

    private static string Escape(string name) => name.Replace("%", "%25").Replace("|", "%7C");
}
