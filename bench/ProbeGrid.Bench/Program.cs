using System.Diagnostics;
using System.Runtime.InteropServices;
using ProbeGrid.Bench;
using TorchSharp;

// ProbeGrid's benchmarks (bench/README.md). Speed and memory targets are measured here, never by timed tests.

IBenchmark[] all = [new MatmulBenchmark(), new ProbesBenchmark(), new ProbeOptimumBenchmark(), new ProbeKernelBenchmark(), new ProbeMemoryBenchmark(), new VsPyTorchBenchmark(), ExtractBenchmark.Extract, ExtractBenchmark.Sketch, new CacheBenchmark(), new OrchestrationBenchmark(), new SinkhornBenchmark(), new ZooBenchmark(), new TorchVisionBenchmark(), new DiscardingBenchmark(), new WeightsBenchmark(), new ImageFolderBenchmark(), new InceptionBenchmark()];

CommandLine options;
try
{
    options = CommandLine.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"bench: {e.Message}");
    return 2;
}

if (options.Help)
{
    Console.WriteLine(CommandLine.Usage);
    return 0;
}
if (options.List)
{
    var width = all.Max(b => b.Name.Length);
    foreach (var b in all) Console.WriteLine($"{b.Name.PadRight(width)}  {b.Description}");
    return 0;
}
var unknown = options.Names.Where(n => all.All(b => b.Name != n)).ToList();
if (unknown.Count > 0)
{
    Console.Error.WriteLine($"bench: no benchmark named {string.Join(", ", unknown.Select(n => $"'{n}'"))}; known: {string.Join(", ", all.Select(b => b.Name))}");
    return 2;
}
var selected = options.Names.Count == 0 ? all : all.Where(b => options.Names.Contains(b.Name)).ToArray();

var settings = new BenchSettings(options.Quick, options.Runs, options.Families);
if (options.Threads is { } threads) torch.set_num_threads(threads);
var started = DateTimeOffset.Now;
var loadAtStart = LoadAverage();
Console.WriteLine($"ProbeGrid benchmarks, {started:yyyy-MM-dd HH:mm:ss zzz}{(options.Quick ? " (quick)" : "")}");
Console.WriteLine($"machine: {Environment.MachineName}, {Environment.ProcessorCount} logical CPUs, {RuntimeInformation.OSDescription}, .NET {Environment.Version}");
Console.WriteLine($"libtorch threads: {torch.get_num_threads()}, load average: {loadAtStart}");
Console.WriteLine($"runs per case: {settings.Warmup} warm-up + {settings.Repetitions} timed; rates are from the median time; " +
                  $"cpu % = process CPU time / wall time over the timed runs ({Environment.ProcessorCount * 100} = every core busy)");

var reports = new List<BenchReport.Benchmark>();
var failures = 0;
foreach (var benchmark in selected)
{
    Console.WriteLine();
    Console.WriteLine($"== {benchmark.Name}: {benchmark.Description}");
    GC.Collect();
    var peakReset = MemoryProbe.ResetPeak();
    var watch = Stopwatch.StartNew();
    var results = benchmark.Run(settings);
    var seconds = watch.Elapsed.TotalSeconds;
    var peak = MemoryProbe.PeakWorkingSetMiB();
    var notes = benchmark.Notes(settings);
    failures += results.Count(r => r.Failed);

    Console.Write(ResultTable.Format(results));
    foreach (var note in notes) Console.WriteLine($"  {note}");
    Console.WriteLine($"  {benchmark.Name} took {seconds:F1} s; peak working set {peak:F0} MiB{(peakReset ? "" : " (the process's peak so far: it could not be reset)")}");
    reports.Add(new BenchReport.Benchmark(benchmark.Name, seconds, peak, peakReset, notes, results.Select(BenchReport.ToRow).ToList()));
}

var loadAtEnd = LoadAverage();
Console.WriteLine();
Console.WriteLine($"load average at end: {loadAtEnd}");
if (options.JsonPath is { } jsonPath)
{
    new BenchReport(started, Environment.MachineName, RuntimeInformation.OSDescription, Environment.Version.ToString(),
        Environment.ProcessorCount, torch.get_num_threads(), options.Quick, loadAtStart, loadAtEnd, reports).Write(jsonPath);
    Console.WriteLine($"results written to {jsonPath}");
}
if (failures > 0)
{
    Console.Error.WriteLine($"bench: {failures} case{(failures == 1 ? "" : "s")} failed (see FAILED above)");
    return 1;
}
return 0;

// The 1, 5 and 15 minute load averages and, where the kernel reports it, the share of the last
// minute in which some runnable task waited for a CPU (PSI): how busy the machine was besides us.
static string LoadAverage()
{
    try
    {
        var load = string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        var pressure = File.Exists("/proc/pressure/cpu")
            ? File.ReadLines("/proc/pressure/cpu").First().Split(' ').FirstOrDefault(f => f.StartsWith("avg60=", StringComparison.Ordinal))
            : null;
        return pressure is null ? load : $"{load} (cpu pressure {pressure.Replace("avg60=", "", StringComparison.Ordinal)}% over 60 s)";
    }
    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
    {
        return "unknown";
    }
}
