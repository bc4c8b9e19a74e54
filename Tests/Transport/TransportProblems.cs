namespace ProbeGrid.Tests.Transport;

/// <summary>Seeded random distributions and metric costs for transport tests.</summary>
internal static class TransportProblems
{
    /// <summary>A random distribution over <paramref name="k"/> labels; with <paramref name="zeros"/>, some entries are exactly 0.</summary>
    public static double[] Distribution(Random random, int k, bool zeros = false)
    {
        var x = Enumerable.Range(0, k).Select(i => zeros && i % 3 == 1 ? 0 : 0.05 + random.NextDouble()).ToArray();
        var sum = x.Sum();
        return x.Select(v => v / sum).ToArray();
    }

    /// <summary>Euclidean distances between random points in the plane: a metric cost.</summary>
    public static double[] PlanarCost(Random random, int k)
    {
        var points = Enumerable.Range(0, k).Select(_ => (X: random.NextDouble(), Y: random.NextDouble())).ToArray();
        return (from i in points from j in points select Math.Sqrt((i.X - j.X) * (i.X - j.X) + (i.Y - j.Y) * (i.Y - j.Y))).ToArray();
    }

    public static double TotalVariation(double[] a, double[] b) => 0.5 * a.Zip(b, (x, y) => Math.Abs(x - y)).Sum();

    public static double Entropy(double[] p) => -p.Where(x => x > 0).Sum(x => x * Math.Log(x));
}
