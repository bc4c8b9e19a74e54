using ProbeGrid.Analysis.Complexity;

namespace ProbeGrid.Tests.Complexity;

/// <summary>Shapley values of small games whose values are known in closed form.</summary>
public class ShapleyTests
{
    private static Dictionary<uint, double> Game(int players, Func<uint, double> v, IEnumerable<uint>? coalitions = null) =>
        (coalitions ?? ExactShapley.Coalitions(players)).ToDictionary(c => c, v);

    [Fact]
    public void In_an_additive_game_each_player_gets_its_own_worth()
    {
        double[] worth = [1.5, -2, 0.25, 4, 0];
        var phi = ExactShapley.Values(5, Game(5, c => Coalition.Members(c).Sum(i => worth[i]) + 7)).Values;
        Assert.Equal(worth, phi, new Tolerance(1e-12));
    }

    [Fact]
    public void In_a_symmetric_game_players_share_equally()
    {
        // Majority of 3: a coalition of two or more wins 1.
        var phi = ExactShapley.Values(3, Game(3, c => Coalition.Size(c) >= 2 ? 1 : 0)).Values;
        Assert.All(phi, p => Assert.Equal(1.0 / 3, p, 1e-12));
        // v(S) = |S|²: every player gets v(N)/n.
        phi = ExactShapley.Values(6, Game(6, c => Math.Pow(Coalition.Size(c), 2))).Values;
        Assert.All(phi, p => Assert.Equal(6.0, p, 1e-12));
    }

    [Fact]
    public void A_dummy_player_gets_nothing_and_a_unanimity_game_splits_among_its_carriers()
    {
        // Unanimity game of T = {0, 2, 3}: v(S) = 1 when T ⊆ S. Players 1 and 4 are dummies.
        var t = Coalition.Of([0, 2, 3]);
        var phi = ExactShapley.Values(5, Game(5, c => (c & t) == t ? 1 : 0)).Values;
        Assert.Equal([1.0 / 3, 0, 1.0 / 3, 1.0 / 3, 0], phi, new Tolerance(1e-12));
    }

    [Fact]
    public void Exact_values_are_efficient_on_a_random_game()
    {
        var random = new Random(4);
        const int n = 10;
        var game = Game(n, _ => random.NextDouble() * 10 - 5);
        var phi = ExactShapley.Values(n, game).Values;
        Assert.Equal(game[Coalition.All(n)] - game[0], phi.Sum(), 1e-6);
    }

    [Fact]
    public void Sampled_values_lie_within_their_reported_error_of_the_exact_ones()
    {
        // A 12-player game with interactions: v(S) = (Σ_{i∈S} w_i)² + 3·[S ∋ 0 and 5].
        var random = new Random(5);
        const int n = 12;
        var w = Enumerable.Range(0, n).Select(_ => random.NextDouble()).ToArray();
        double V(uint c) => Math.Pow(Coalition.Members(c).Sum(i => w[i]), 2) + (Coalition.Contains(c, 0) && Coalition.Contains(c, 5) ? 3 : 0);
        var exact = ExactShapley.Values(n, Game(n, V)).Values;

        var plan = SampledShapley.Plan(n, permutations: 400, seed: 9);
        var sampled = plan.Values(Game(n, V, plan.Coalitions()));
        Assert.False(sampled.Exact);
        Assert.Equal(400, sampled.Permutations);
        for (var i = 0; i < n; i++)
        {
            Assert.True(sampled.StandardErrors[i] > 0);
            Assert.True(Math.Abs(sampled.Values[i] - exact[i]) < 4 * sampled.StandardErrors[i],
                $"player {i}: sampled {sampled.Values[i]:F4} ± {sampled.StandardErrors[i]:F4}, exact {exact[i]:F4}");
        }
        // Each order's marginals add up to v(N) − v(∅), so the sampled values are efficient too.
        Assert.Equal(V(Coalition.All(n)) - V(0), sampled.Values.Sum(), 1e-9);
        // More orders, smaller errors (about 1/√orders).
        var more = SampledShapley.Plan(n, permutations: 1600, seed: 9);
        var better = more.Values(Game(n, V, more.Coalitions()));
        Assert.True(better.StandardErrors.Average() < 0.6 * sampled.StandardErrors.Average());
    }

    [Fact]
    public void Sharded_evaluation_gives_the_same_values_as_unsharded()
    {
        var random = new Random(6);
        const int n = 8;
        var table = ExactShapley.Coalitions(n).ToDictionary(c => c, _ => random.NextDouble());
        var whole = ExactShapley.Values(n, table).Values;
        foreach (var shards in new[] { 1, 3, 7, 256, 1000 })
        {
            var parts = CoalitionShards.Split(ExactShapley.Coalitions(n), shards);
            Assert.Equal(256, parts.Sum(p => p.Count));
            Assert.Equal(256, parts.SelectMany(p => p).Distinct().Count());
            // Each shard evaluates its coalitions; the values meet in one table, in shard order reversed to show order does not matter.
            var merged = parts.Reverse().SelectMany(p => p.Select(c => KeyValuePair.Create(c, table[c]))).ToDictionary();
            Assert.Equal(whole, ExactShapley.Values(n, merged).Values);
        }
        var plan = SampledShapley.Plan(12, 50, seed: 1);
        var game = plan.Coalitions().ToDictionary(c => c, c => (double)Coalition.Size(c) * Coalition.Size(c));
        var sharded = CoalitionShards.Split(plan.Coalitions(), 5).SelectMany(p => p).Reverse().ToDictionary(c => c, c => game[c]);
        Assert.Equal(plan.Values(game).Values, plan.Values(sharded).Values);
    }

    [Fact]
    public void A_missing_coalition_is_named()
    {
        var game = Game(3, c => 1);
        game.Remove(Coalition.Of([0, 2]));
        var e = Assert.Throws<ArgumentException>(() => ExactShapley.Values(3, game));
        Assert.Contains("{0,2}", e.Message);
    }
}
