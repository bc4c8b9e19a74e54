namespace ProbeGrid.Analysis.Zoo;

/// <summary>
/// The known names closest to one that is not known, for "did you mean" messages: by edit distance over the
/// whole name (case-insensitive), ties broken by the known order, so "layer3.1.conv" suggests "layer3.1.conv1".
/// </summary>
public static class NearestNames
{
    /// <summary>Up to <paramref name="count"/> of <paramref name="known"/> nearest to <paramref name="name"/>, nearest first.</summary>
    public static IReadOnlyList<string> To(string name, IEnumerable<string> known, int count = 3) =>
        known.Select((k, i) => (Name: k, Index: i, Distance: Distance(name.ToLowerInvariant(), k.ToLowerInvariant())))
            .OrderBy(c => c.Distance).ThenBy(c => c.Index)
            .Take(count).Select(c => c.Name).ToList();

    /// <summary>"; nearest: 'a', 'b', 'c'" for a message, or "" when nothing is known.</summary>
    public static string Suggestion(string name, IEnumerable<string> known, int count = 3)
    {
        var nearest = To(name, known, count);
        return nearest.Count == 0 ? "" : $"; nearest: {string.Join(", ", nearest.Select(n => $"'{n}'"))}";
    }

    /// <summary>Levenshtein distance: insertions, deletions and substitutions each cost one.</summary>
    public static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
