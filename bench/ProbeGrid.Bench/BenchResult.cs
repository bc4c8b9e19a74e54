namespace ProbeGrid.Bench;

/// <summary>A named number in a result row, e.g. ("GFLOP/s", 41.2).</summary>
public sealed record Metric(string Name, double Value);

/// <summary>
/// One case of a benchmark: its timing and what was derived from it (from the median time unless
/// a metric says otherwise), or, for a case that threw, the error instead.
/// </summary>
public sealed record BenchResult(string Case, Timing Timing, IReadOnlyList<Metric> Metrics, string? Error = null)
{
    public bool Failed => Error is not null;

    /// <summary>A case that could not be measured: the table and the JSON show why, and the run exits non-zero.</summary>
    public static BenchResult Failure(string @case, Exception e) =>
        new(@case, new Timing([], []), [], $"{e.GetType().Name}: {e.Message} (at {e.TargetSite?.DeclaringType?.Name}.{e.TargetSite?.Name})");
}
