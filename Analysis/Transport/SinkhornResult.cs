namespace ProbeGrid.Analysis.Transport;

/// <summary>
/// Sinkhorn's answer for a batch of pairs. <see cref="Costs"/> holds &lt;T*, C&gt; at the entropic
/// optimum T* (Cuturi's Sinkhorn distance, the W-distance ProbeGrid reports); <see cref="Objectives"/>
/// the regularised value &lt;T*, C&gt; − ε·H(T*).
/// </summary>
public sealed record SinkhornResult(
    double[] Costs,
    double[] Objectives,
    int Iterations,
    int UnconvergedPairs,
    double MaxMarginalError)
{
    /// <summary>The plans T*, row-major [pairs, K, K], when asked for; else null.</summary>
    public double[]? Plans { get; init; }

    public bool Converged => UnconvergedPairs == 0;

    /// <summary>A sentence for the log when some pairs did not converge; null when all did.</summary>
    public string? Warning(SinkhornOptions options) => Converged
        ? null
        : $"Sinkhorn did not converge for {UnconvergedPairs} of {Costs.Length} pairs in {Iterations} iterations " +
          $"(largest marginal error {MaxMarginalError:G3} > tolerance {options.Tolerance:G3}); raise maxIterations or epsilon";
}
