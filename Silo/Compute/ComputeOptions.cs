namespace ProbeGrid.Silo.Compute;

/// <summary>The silo's compute executor (section "ProbeGrid:Compute" of the configuration).</summary>
public sealed class ComputeOptions
{
    public const string Section = "ProbeGrid:Compute";

    /// <summary>"auto" (a GPU when TorchSharp sees one, else the CPU), "cpu" or "cuda".</summary>
    public string Device { get; set; } = "auto";

    /// <summary>Jobs run at once. On a CPU one job already uses every core; a GPU takes two to overlap data and compute.</summary>
    public int Slots { get; set; }

    /// <summary>Memory the running jobs may hold together, in bytes; 0: half of the machine's memory, shared by <see cref="SilosOnHost"/>.</summary>
    public long MemoryBudgetBytes { get; set; }

    /// <summary>
    /// ProbeGrid silos that share this machine's memory (default 1). The default budget is half the
    /// machine divided among them, so three silos on one host take half of it together, not a half
    /// each. A count the operator states, not one detected: silos that start together cannot see
    /// one another yet, and a budget that shrank later would fail jobs it had already admitted.
    /// </summary>
    public int SilosOnHost { get; set; } = 1;

    /// <summary>The budget: <see cref="MemoryBudgetBytes"/> when set, else this silo's share of half of <paramref name="machineBytes"/>.</summary>
    public long ResolveMemoryBudget(long machineBytes) =>
        MemoryBudgetBytes > 0 ? MemoryBudgetBytes : machineBytes / 2 / Math.Max(1, SilosOnHost);

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Device is not ("auto" or "cpu" or "cuda")) problems.Add($"{Section}:Device '{Device}' must be auto, cpu or cuda");
        if (Slots < 0) problems.Add($"{Section}:Slots {Slots} must be 0 (automatic) or more");
        if (MemoryBudgetBytes < 0) problems.Add($"{Section}:MemoryBudgetBytes {MemoryBudgetBytes} must be 0 (half the machine, shared by SilosOnHost) or more");
        if (SilosOnHost < 1) problems.Add($"{Section}:SilosOnHost {SilosOnHost} must be 1 or more: the number of ProbeGrid silos on this machine");
        return problems;
    }
}
