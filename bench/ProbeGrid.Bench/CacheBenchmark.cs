using ProbeGrid.Analysis.Activations;

namespace ProbeGrid.Bench;

/// <summary>
/// ActivationCache throughput for a realistic entry (one checkpoint's taps for a training split):
/// storing it (a .npy file per tap, each written atomically and flushed to disk) and reading it
/// back, in a temporary folder that is deleted afterwards. Also what it costs in managed memory.
/// </summary>
public sealed class CacheBenchmark : IBenchmark
{
    public string Name => "cache";

    public string Description => "ActivationCache write and read MB/s for a 10 taps x 5000 x 2048 float32 entry, managed memory";

    private sealed record Size(int Taps, int Rows, int Columns)
    {
        public long Bytes => 4L * Taps * Rows * Columns;
    }

    private static Size SizeFor(BenchSettings settings) => settings.Pick(new Size(10, 5000, 2048), new Size(10, 1000, 512));

    public IReadOnlyList<string> Notes(BenchSettings settings)
    {
        var s = SizeFor(settings);
        return
        [
            $"entry: {s.Taps} taps x {s.Rows} x {s.Columns} float32 = {s.Bytes / 1e6:F0} MB; MB/s = 10^6 bytes of features per second",
            "write: GetOrCompute on a new key with the matrices ready (temp file, fsync, rename per tap); folder deleted between runs, untimed",
            "read: GetOrCompute on a stored key (every tap a hit). The files were just written, so they come from the page cache:",
            "  this is the parse cost, not the disk's read speed",
            "alloc MiB: managed bytes allocated by one operation; heap MiB: managed heap right after it, results still live",
        ];
    }

    public IReadOnlyList<BenchResult> Run(BenchSettings settings)
    {
        var s = SizeFor(settings);
        var random = new Random(5);
        var entry = new Dictionary<string, FeatureMatrix>(StringComparer.Ordinal);
        for (var t = 0; t < s.Taps; t++)
        {
            var data = new float[s.Rows * s.Columns];
            for (var i = 0; i < data.Length; i++) data[i] = random.NextSingle();
            entry[$"tap{t}"] = new FeatureMatrix(data, s.Rows, s.Columns);
        }
        var taps = entry.Keys.ToList();

        var root = Directory.CreateTempSubdirectory("probegrid-bench-cache-");
        try
        {
            var cache = new ActivationCache(root.FullName);
            var key = new ActivationCacheKey("bench write");
            double writeAlloc = 0, writeHeap = 0, readAlloc = 0, readHeap = 0;

            var write = Timing.Measure(
                () => (writeAlloc, writeHeap) = Measured(() => cache.GetOrCompute(key, taps, _ => ExtractedActivations.AllFinite(entry)).Features),
                settings,
                beforeEach: () => DeleteIfPresent(Path.Combine(cache.Root, key.Hash)));

            var read = Timing.Measure(
                () => (readAlloc, readHeap) = Measured(() => cache.GetOrCompute(key, taps,
                    _ => throw new InvalidOperationException("the cache entry should have been read, not computed")).Features),
                settings);

            return
            [
                new BenchResult($"write {s.Taps} x {s.Rows} x {s.Columns}", write,
                    [new Metric("MB/s", s.Bytes / write.Median / 1e6), new Metric("alloc MiB", writeAlloc), new Metric("heap MiB", writeHeap)]),
                new BenchResult($"read {s.Taps} x {s.Rows} x {s.Columns}", read,
                    [new Metric("MB/s", s.Bytes / read.Median / 1e6), new Metric("alloc MiB", readAlloc), new Metric("heap MiB", readHeap)]),
            ];
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    /// <summary>Runs one cache operation; returns the managed MiB it allocated and the heap size while its result is live.</summary>
    private static (double AllocatedMiB, double HeapMiB) Measured(Func<IReadOnlyDictionary<string, FeatureMatrix>> operation)
    {
        var before = MemoryProbe.AllocatedBytes();
        var result = operation();
        var allocated = MemoryProbe.ToMiB(MemoryProbe.AllocatedBytes() - before);
        var heap = MemoryProbe.ManagedHeapMiB();
        GC.KeepAlive(result);
        return (allocated, heap);
    }

    private static void DeleteIfPresent(string folder)
    {
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
    }
}
