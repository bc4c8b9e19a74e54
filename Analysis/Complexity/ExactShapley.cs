namespace ProbeGrid.Analysis.Complexity;

/// <summary>
/// Exact Shapley values over all 2^n coalitions: φ_i = Σ_{S ⊆ N∖{i}} |S|!(n−|S|−1)!/n! · (v(S ∪ {i}) − v(S)).
/// The game is given as its value on every coalition, so the evaluations (the expensive part: one
/// pass of the upper network each) can be made anywhere, in any grouping, and combined here.
/// </summary>
public static class ExactShapley
{
    /// <summary>Up to this many players the exact sum is used (METHODS.md: m ≤ 10, 1,024 coalitions).</summary>
    public const int MaxPlayers = 10;

    /// <summary>Every coalition of <paramref name="players"/> players, each once.</summary>
    public static IReadOnlyList<uint> Coalitions(int players)
    {
        if (players is < 1 or > Coalition.MaxPlayers)
            throw new ArgumentOutOfRangeException(nameof(players), players, $"a game needs 1 to {Coalition.MaxPlayers} players");
        return Enumerable.Range(0, 1 << players).Select(c => (uint)c).ToArray();
    }

    /// <exception cref="ArgumentException">A coalition's value is missing or not finite.</exception>
    public static ShapleyEstimate Values(int players, IReadOnlyDictionary<uint, double> value)
    {
        var missing = Coalitions(players).Where(c => !value.TryGetValue(c, out var v) || !double.IsFinite(v)).Take(3).ToList();
        if (missing.Count > 0)
            throw new ArgumentException($"the game's value is missing or not finite for coalition(s) {string.Join(", ", missing.Select(m => "{" + string.Join(",", Coalition.Members(m)) + "}"))}: evaluate every coalition of {players} players");

        // weight[s] = s!(n−s−1)!/n!, built as a product to stay exact in double for n ≤ 30.
        var weight = new double[players];
        for (var s = 0; s < players; s++)
        {
            double w = 1.0 / players;
            for (var k = 1; k <= s; k++) w *= (double)k / (players - k);
            weight[s] = w;
        }
        var phi = new double[players];
        foreach (var coalition in Coalitions(players))
            for (var i = 0; i < players; i++)
                if (!Coalition.Contains(coalition, i))
                    phi[i] += weight[Coalition.Size(coalition)] * (value[coalition | 1u << i] - value[coalition]);
        return new ShapleyEstimate(phi, new double[players], Exact: true, Permutations: 0);
    }
}
