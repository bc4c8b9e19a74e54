using System.Text.Json;
using System.Text.Json.Serialization;

namespace ProbeGrid.Bench;

/// <summary>The machine-readable results written by <c>--json FILE</c>.</summary>
public sealed record BenchReport(
    DateTimeOffset Started,
    string Machine,
    string Os,
    string Runtime,
    int ProcessorCount,
    int TorchThreads,
    bool Quick,
    string LoadAverageAtStart,
    string LoadAverageAtEnd,
    IReadOnlyList<BenchReport.Benchmark> Benchmarks)
{
    public sealed record Benchmark(
        string Name,
        double TotalSeconds,
        double PeakWorkingSetMiB,
        bool PeakWasReset,
        IReadOnlyList<string> Notes,
        IReadOnlyList<Row> Results);

    public sealed record Row(
        string Case,
        double MedianSeconds,
        double MinSeconds,
        IReadOnlyList<double> Seconds,
        IReadOnlyList<double> CpuSeconds,
        IReadOnlyDictionary<string, double> Metrics,
        string? Error);

    public static Row ToRow(BenchResult result) => new(
        result.Case, result.Timing.Median, result.Timing.Min, result.Timing.Seconds, result.Timing.CpuSeconds,
        result.Metrics.ToDictionary(m => m.Name, m => m.Value), result.Error);

    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public void Write(string path)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null) Directory.CreateDirectory(folder);
        File.WriteAllText(path, JsonSerializer.Serialize(this, Options) + Environment.NewLine);
    }
}
