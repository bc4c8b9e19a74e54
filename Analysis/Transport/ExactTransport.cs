namespace ProbeGrid.Analysis.Transport;

/// <summary>
/// Exact (unregularised) optimal transport between two distributions over a few labels, as a
/// min-cost flow solved by successive shortest paths (Bellman-Ford on the residual graph). Cubic
/// or worse in K: a reference for checking Sinkhorn and for small label sets, not for batches.
/// </summary>
public static class ExactTransport
{
    private const double MassTolerance = 1e-12;

    /// <returns>The optimal cost min &lt;T, C&gt; over couplings of a and b, and one optimal plan (row-major [K, K]).</returns>
    /// <exception cref="ArgumentException">The distributions differ in length from the cost matrix or in total mass.</exception>
    public static (double Cost, double[] Plan) Solve(ReadOnlySpan<double> a, ReadOnlySpan<double> b, CostMatrix cost)
    {
        var k = cost.Size;
        if (a.Length != k || b.Length != k)
            throw new ArgumentException($"both distributions need {k} entries (the cost matrix's labels)");
        double totalA = 0, totalB = 0;
        foreach (var x in a) totalA += x;
        foreach (var x in b) totalB += x;
        if (Math.Abs(totalA - totalB) > 1e-9)
            throw new ArgumentException($"the distributions carry different mass ({totalA} and {totalB})");

        // Nodes: 0 = source, 1..k = rows, k+1..2k = columns, 2k+1 = sink.
        var nodes = 2 * k + 2;
        var sink = nodes - 1;
        var edges = new List<Edge>();
        var outgoing = Enumerable.Range(0, nodes).Select(_ => new List<int>()).ToArray();
        void Add(int from, int to, double capacity, double c)
        {
            outgoing[from].Add(edges.Count);
            edges.Add(new Edge(to, capacity, c));
            outgoing[to].Add(edges.Count);
            edges.Add(new Edge(from, 0, -c));
        }
        for (var i = 0; i < k; i++) Add(0, 1 + i, a[i], 0);
        for (var j = 0; j < k; j++) Add(1 + k + j, sink, b[j], 0);
        for (var i = 0; i < k; i++)
            for (var j = 0; j < k; j++)
                Add(1 + i, 1 + k + j, double.PositiveInfinity, cost[i, j]);

        var shipped = 0.0;
        while (totalA - shipped > MassTolerance)
        {
            var (distance, via) = ShortestPaths(nodes, edges, outgoing);
            if (double.IsPositiveInfinity(distance[sink])) break;
            var amount = double.PositiveInfinity;
            for (var v = sink; v != 0; v = edges[via[v] ^ 1].To) amount = Math.Min(amount, edges[via[v]].Capacity);
            if (amount <= MassTolerance) break;
            for (var v = sink; v != 0; v = edges[via[v] ^ 1].To)
            {
                edges[via[v]] = edges[via[v]] with { Capacity = edges[via[v]].Capacity - amount };
                edges[via[v] ^ 1] = edges[via[v] ^ 1] with { Capacity = edges[via[v] ^ 1].Capacity + amount };
            }
            shipped += amount;
        }

        var plan = new double[k * k];
        double total = 0;
        foreach (var i in Enumerable.Range(0, k))
            foreach (var e in outgoing[1 + i].Where(e => e % 2 == 0 && edges[e].To > k))
            {
                var flow = edges[e ^ 1].Capacity; // the reverse edge's capacity is the flow sent
                var j = edges[e].To - 1 - k;
                plan[i * k + j] = flow;
                total += flow * cost[i, j];
            }
        return (total, plan);
    }

    private readonly record struct Edge(int To, double Capacity, double Cost);

    private static (double[] Distance, int[] Via) ShortestPaths(int nodes, List<Edge> edges, List<int>[] outgoing)
    {
        var distance = Enumerable.Repeat(double.PositiveInfinity, nodes).ToArray();
        var via = new int[nodes];
        distance[0] = 0;
        for (var round = 0; round < nodes; round++)
        {
            var changed = false;
            for (var u = 0; u < nodes; u++)
            {
                if (double.IsPositiveInfinity(distance[u])) continue;
                foreach (var e in outgoing[u])
                {
                    if (edges[e].Capacity <= MassTolerance) continue;
                    var d = distance[u] + edges[e].Cost;
                    if (d < distance[edges[e].To] - 1e-15)
                    {
                        distance[edges[e].To] = d;
                        via[edges[e].To] = e;
                        changed = true;
                    }
                }
            }
            if (!changed) break;
        }
        return (distance, via);
    }
}
