using System.Globalization;
using System.Text;

namespace ProbeGrid.Bench;

/// <summary>Formats a benchmark's rows as a plain text table: case, median and min seconds, then every metric.</summary>
public static class ResultTable
{
    public static string Format(IReadOnlyList<BenchResult> results)
    {
        var metricNames = results.SelectMany(r => r.Metrics.Select(m => m.Name)).Distinct().ToList();
        var header = new List<string> { "case", "median s", "min s", "runs", "cpu %" };
        header.AddRange(metricNames);

        var rows = results.Select(r =>
        {
            if (r.Failed) return [r.Case, "FAILED", "", "0", "", .. metricNames.Select(_ => "")];
            var cells = new List<string> { r.Case, Number(r.Timing.Median), Number(r.Timing.Min), r.Timing.Seconds.Count.ToString(CultureInfo.InvariantCulture), r.Timing.CpuPercent.ToString("F0", CultureInfo.InvariantCulture) };
            cells.AddRange(metricNames.Select(name => r.Metrics.FirstOrDefault(m => m.Name == name) is { } m ? Number(m.Value) : ""));
            return cells;
        }).ToList();

        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Select(r => r[i].Length).DefaultIfEmpty(0).Max())).ToArray();
        var text = new StringBuilder();
        void Line(IReadOnlyList<string> cells) => text.AppendLine(string.Join("  ",
            cells.Select((c, i) => i == 0 ? c.PadRight(widths[i]) : c.PadLeft(widths[i]))).TrimEnd());
        Line(header);
        Line(widths.Select(w => new string('-', w)).ToList());
        foreach (var row in rows) Line(row);
        foreach (var failed in results.Where(r => r.Failed)) text.AppendLine($"  FAILED {failed.Case}: {failed.Error}");
        return text.ToString();
    }

    /// <summary>Whole numbers as they are; others to about four significant digits, without exponents in the ranges benchmarks produce.</summary>
    public static string Number(double value)
    {
        var magnitude = Math.Abs(value);
        var format = magnitude >= 1000 || (value == Math.Round(value) && magnitude < 1e15) ? "N0"
            : magnitude >= 100 ? "F1" : magnitude >= 10 ? "F2" : magnitude >= 0.01 ? "F3" : "G3";
        return value.ToString(format, CultureInfo.InvariantCulture);
    }
}
