namespace ProbeGrid.Analysis.Data.ImageFolder;

/// <summary>
/// How a host lets image folders load: the silo's compute executor owns the cores and the memory, so it states them.
/// </summary>
/// <param name="Parallelism">images decoded at once (0: one per core); also bounds the decoded images held before their floats are stored.</param>
/// <param name="MemoryBudgetBytes">the most the three decoded splits may take together (0: no budget beyond one float[] per split).</param>
public sealed record ImageFolderLoadOptions(int Parallelism = 0, long MemoryBudgetBytes = 0)
{
    public int EffectiveParallelism => Parallelism > 0 ? Parallelism : Environment.ProcessorCount;
}
