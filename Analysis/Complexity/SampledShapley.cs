namespace ProbeGrid.Analysis.Complexity;

/// <summary>
/// Shapley values by permutation sampling (beyond <see cref="ExactShapley.MaxPlayers"/> players):
/// seeded random orders of the players; along each order a player's marginal contribution is
/// v(predecessors ∪ {i}) − v(predecessors). The estimate is the mean over orders, its standard error
/// the standard deviation over orders / √orders. The orders are drawn first, so the coalitions they
/// need can be evaluated anywhere and combined here, with the same result however they are grouped.
/// </summary>
public sealed class SampledShapley
{
    private SampledShapley(int players, int[][] orders)
    {
        Players = players;
        Orders = orders;
    }

    public int Players { get; }

    public IReadOnlyList<int[]> Orders { get; }

    /// <summary><paramref name="permutations"/> orders of <paramref name="players"/> players from <paramref name="seed"/>.</summary>
    public static SampledShapley Plan(int players, int permutations, long seed)
    {
        if (players is < 1 or > Coalition.MaxPlayers)
            throw new ArgumentOutOfRangeException(nameof(players), players, $"a game needs 1 to {Coalition.MaxPlayers} players");
        if (permutations < 2)
            throw new ArgumentOutOfRangeException(nameof(permutations), permutations, "at least 2 orders are needed for a standard error");
        var random = new Random(unchecked((int)(seed ^ seed >> 32)));
        var orders = new int[permutations][];
        for (var p = 0; p < permutations; p++)
        {
            var order = Enumerable.Range(0, players).ToArray();
            random.Shuffle(order);
            orders[p] = order;
        }
        return new SampledShapley(players, orders);
    }

    /// <summary>Every coalition the orders pass through (each prefix, the empty one included), each once.</summary>
    public IReadOnlyList<uint> Coalitions()
    {
        var needed = new HashSet<uint> { 0 };
        foreach (var order in Orders)
        {
            var coalition = 0u;
            foreach (var player in order) needed.Add(coalition |= 1u << player);
        }
        return needed.Order().ToArray();
    }

    /// <exception cref="ArgumentException">A needed coalition's value is missing or not finite.</exception>
    public ShapleyEstimate Values(IReadOnlyDictionary<uint, double> value)
    {
        var missing = Coalitions().Where(c => !value.TryGetValue(c, out var v) || !double.IsFinite(v)).Take(3).ToList();
        if (missing.Count > 0)
            throw new ArgumentException($"the game's value is missing or not finite for coalition(s) {string.Join(", ", missing.Select(m => "{" + string.Join(",", Coalition.Members(m)) + "}"))}: evaluate every coalition of the plan");

        var sum = new double[Players];
        var sumOfSquares = new double[Players];
        foreach (var order in Orders)
        {
            var coalition = 0u;
            foreach (var player in order)
            {
                var next = coalition | 1u << player;
                var marginal = value[next] - value[coalition];
                sum[player] += marginal;
                sumOfSquares[player] += marginal * marginal;
                coalition = next;
            }
        }
        var n = Orders.Count;
        var mean = sum.Select(s => s / n).ToArray();
        var standardError = Enumerable.Range(0, Players)
            .Select(i => Math.Sqrt(Math.Max(0, (sumOfSquares[i] - n * mean[i] * mean[i]) / (n - 1)) / n)).ToArray();
        return new ShapleyEstimate(mean, standardError, Exact: false, Permutations: n);
    }
}
