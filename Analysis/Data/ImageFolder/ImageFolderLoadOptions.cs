namespace ProbeGrid.Analysis.Data.ImageFolder;

/// <summary>
/// How a host lets image folders load: the silo's compute executor owns the cores and the memory, so it states them.
/// </summary>
/// <param name="Parallelism">images decoded at once (0: one per core); also bounds the decoded images held before their samples are stored.</param>
/// <param name="MemoryBudgetBytes">
/// the most the three splits' samples may take in memory together (0: no budget). Within it they are held as floats, else as
/// bytes if those fit, else streamed from the files (<see cref="StorageFor"/>).
/// </param>
/// <param name="Storage">a storage to use whatever the budget (null: chosen by the budget); for tests and benchmarks.</param>
/// <param name="PrefetchBatches">batches a streamed split decodes ahead of the one being read (0: each batch is decoded when asked for).</param>
public sealed record ImageFolderLoadOptions(int Parallelism = 0, long MemoryBudgetBytes = 0, ImageFolderStorage? Storage = null, int PrefetchBatches = 2)
{
    public int EffectiveParallelism => Parallelism > 0 ? Parallelism : Environment.ProcessorCount;

    /// <summary>
    /// How <paramref name="settings"/>' samples are held: as floats when every split fits one array and the floats fit the budget;
    /// else as bytes (a quarter of the floats, in arrays of their own size) when those fit; else streamed.
    /// </summary>
    public ImageFolderStorage StorageFor(ImageFolderSettings settings)
    {
        if (Storage is { } stated) return stated;
        var values = settings.Counts.Sum(c => (long)c) * settings.SampleSize;
        var fitsArrays = settings.Counts.All(c => c * settings.SampleSize <= Array.MaxLength);
        if (fitsArrays && (MemoryBudgetBytes == 0 || values * sizeof(float) <= MemoryBudgetBytes)) return ImageFolderStorage.Floats;
        return MemoryBudgetBytes == 0 || values <= MemoryBudgetBytes ? ImageFolderStorage.Bytes : ImageFolderStorage.Streamed;
    }

    /// <summary>
    /// Bytes <paramref name="settings"/>' samples take between batches (<see cref="StorageFor"/>'s choice): the floats, the bytes, or
    /// for a streamed split the batches of <paramref name="batchSize"/> decoded ahead and the one being read.
    /// </summary>
    public long HeldBytes(ImageFolderSettings settings, int batchSize)
    {
        var values = settings.Counts.Sum(c => (long)c) * settings.SampleSize;
        return StorageFor(settings) switch
        {
            ImageFolderStorage.Floats => values * sizeof(float),
            ImageFolderStorage.Bytes => values,
            _ => (PrefetchBatches + 1L) * Math.Max(1, batchSize) * settings.SampleSize * sizeof(float),
        };
    }
}
