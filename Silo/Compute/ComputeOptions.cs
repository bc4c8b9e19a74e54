using ProbeGrid.Analysis.Data.ImageFolder;

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

    /// <summary>
    /// Memory a loaded data set's samples may take, in bytes; 0: half of the memory budget (the jobs count the data too, so the
    /// other half is left for features). An image folder whose floats exceed it is held as bytes, and one whose bytes exceed it
    /// too is streamed from its files, decoded a batch at a time (docs/datasets.md).
    /// </summary>
    public long DatasetMemoryBytes { get; set; }

    /// <summary>Images decoded at once when an image folder is loaded or streamed; 0: one per core.</summary>
    public int DecodeThreads { get; set; }

    /// <summary>The budget: <see cref="MemoryBudgetBytes"/> when set, else this silo's share of half of <paramref name="machineBytes"/>.</summary>
    public long ResolveMemoryBudget(long machineBytes) =>
        MemoryBudgetBytes > 0 ? MemoryBudgetBytes : machineBytes / 2 / Math.Max(1, SilosOnHost);

    /// <summary>The data set budget: <see cref="DatasetMemoryBytes"/> when set, else half of the memory budget for <paramref name="machineBytes"/>.</summary>
    public long ResolveDatasetMemory(long machineBytes) => DatasetMemoryBytes > 0 ? DatasetMemoryBytes : ResolveMemoryBudget(machineBytes) / 2;

    /// <summary>How image folders load on this silo: <see cref="DecodeThreads"/> decoders and <see cref="ResolveDatasetMemory"/>'s budget.</summary>
    public ImageFolderLoadOptions ImageFolderLoad(long machineBytes) => new(DecodeThreads, ResolveDatasetMemory(machineBytes));

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Device is not ("auto" or "cpu" or "cuda")) problems.Add($"{Section}:Device '{Device}' must be auto, cpu or cuda");
        if (Slots < 0) problems.Add($"{Section}:Slots {Slots} must be 0 (automatic) or more");
        if (MemoryBudgetBytes < 0) problems.Add($"{Section}:MemoryBudgetBytes {MemoryBudgetBytes} must be 0 (half the machine, shared by SilosOnHost) or more");
        if (DatasetMemoryBytes < 0) problems.Add($"{Section}:DatasetMemoryBytes {DatasetMemoryBytes} must be 0 (half the memory budget) or more");
        if (DecodeThreads < 0) problems.Add($"{Section}:DecodeThreads {DecodeThreads} must be 0 (one per core) or more");
        if (SilosOnHost < 1) problems.Add($"{Section}:SilosOnHost {SilosOnHost} must be 1 or more: the number of ProbeGrid silos on this machine");
        return problems;
    }
}
