namespace ProbeGrid.Silo.Compute;

/// <summary>The silo's compute executor (section "ProbeGrid:Compute" of the configuration).</summary>
public sealed class ComputeOptions
{
    public const string Section = "ProbeGrid:Compute";

    /// <summary>"auto" (a GPU when TorchSharp sees one, else the CPU), "cpu" or "cuda".</summary>
    public string Device { get; set; } = "auto";

    /// <summary>Jobs run at once. On a CPU one job already uses every core; a GPU takes two to overlap data and compute.</summary>
    public int Slots { get; set; }

    /// <summary>Memory the running jobs may hold together, in bytes; 0: half of the machine's memory.</summary>
    public long MemoryBudgetBytes { get; set; }

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Device is not ("auto" or "cpu" or "cuda")) problems.Add($"{Section}:Device '{Device}' must be auto, cpu or cuda");
        if (Slots < 0) problems.Add($"{Section}:Slots {Slots} must be 0 (automatic) or more");
        if (MemoryBudgetBytes < 0) problems.Add($"{Section}:MemoryBudgetBytes {MemoryBudgetBytes} must be 0 (half the machine) or more");
        return problems;
    }
}
