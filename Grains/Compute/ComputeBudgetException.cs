namespace ProbeGrid.Grains.Compute;

/// <summary>A job that cannot fit the silo's memory budget, or that ran out of memory while running.</summary>
public sealed class ComputeBudgetException(string message, Exception? inner = null) : Exception(message, inner);
