namespace ProbeGrid.Analysis.Complexity;

/// <summary>
/// Splits the coalitions a Shapley computation needs into near-equal contiguous shards, one per
/// shard grain. The values come back as one dictionary, so the Shapley values do not depend on the split.
/// </summary>
public static class CoalitionShards
{
    public static IReadOnlyList<IReadOnlyList<uint>> Split(IReadOnlyList<uint> coalitions, int shards)
    {
        if (shards < 1) throw new ArgumentOutOfRangeException(nameof(shards), shards, "at least one shard");
        shards = Math.Min(shards, Math.Max(1, coalitions.Count));
        var result = new List<IReadOnlyList<uint>>(shards);
        for (var s = 0; s < shards; s++)
        {
            var start = (int)((long)coalitions.Count * s / shards);
            var end = (int)((long)coalitions.Count * (s + 1) / shards);
            result.Add(coalitions.Skip(start).Take(end - start).ToArray());
        }
        return result;
    }
}
