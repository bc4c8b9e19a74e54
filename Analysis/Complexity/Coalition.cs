namespace ProbeGrid.Analysis.Complexity;

/// <summary>
/// A set of players of a cooperative game as a bit mask (player i is bit i), so coalitions can be
/// keys, sent to shards and compared cheaply. Games here have at most <see cref="MaxPlayers"/> players.
/// </summary>
public static class Coalition
{
    public const int MaxPlayers = 30;

    public static uint Of(IEnumerable<int> players) => players.Aggregate(0u, (mask, p) => mask | 1u << p);

    public static uint All(int players) => players == 0 ? 0 : uint.MaxValue >> (32 - players);

    public static bool Contains(uint coalition, int player) => (coalition >> player & 1) == 1;

    public static int Size(uint coalition) => System.Numerics.BitOperations.PopCount(coalition);

    public static IEnumerable<int> Members(uint coalition)
    {
        for (var p = 0; coalition >> p != 0; p++)
            if (Contains(coalition, p)) yield return p;
    }
}
