namespace ProbeGrid.Cli.Commands;

/// <summary>One network (sweep) in <c>probegrid regress</c>: its features and target at one checkpoint and layer, averaged over repeats.</summary>
public sealed record RegressionRow(string Sweep, string Checkpoint, long Step, double[] Features, double Target);
