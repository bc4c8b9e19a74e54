namespace ProbeGrid.Grains.Compute;

/// <summary>A job for the executor: what it is (for logs and errors) and how much memory it will hold at most.</summary>
public sealed record ComputeRequest(string Description, long EstimatedBytes);
