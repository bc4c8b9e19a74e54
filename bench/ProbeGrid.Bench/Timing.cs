using System.Diagnostics;

namespace ProbeGrid.Bench;

/// <summary>
/// Wall-clock seconds of the timed runs of one case, and the CPU seconds the whole process used
/// in them: on a 2-core machine a CPU share well under 200% while libtorch works on two threads
/// means something else was running too.
/// </summary>
public sealed record Timing(IReadOnlyList<double> Seconds, IReadOnlyList<double> CpuSeconds)
{
    /// <summary>The median of the runs (NaN when there were none: a failed case).</summary>
    public double Median
    {
        get
        {
            if (Seconds.Count == 0) return double.NaN;
            var sorted = Seconds.Order().ToArray();
            var mid = sorted.Length / 2;
            return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
        }
    }

    public double Min => Seconds.Count == 0 ? double.NaN : Seconds.Min();

    /// <summary>Process CPU time over wall time across all timed runs, in percent (200 = two cores busy).</summary>
    public double CpuPercent => Seconds.Count == 0 ? double.NaN : 100 * CpuSeconds.Sum() / Seconds.Sum();

    /// <summary>
    /// Runs <paramref name="action"/> <see cref="BenchSettings.Warmup"/> times untimed, then
    /// <see cref="BenchSettings.Repetitions"/> times timed. <paramref name="beforeEach"/> runs,
    /// untimed, before every run (e.g. to clean up after the last one).
    /// </summary>
    public static Timing Measure(Action action, BenchSettings settings, Action? beforeEach = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.Repetitions, 1);
        for (var i = 0; i < settings.Warmup; i++)
        {
            beforeEach?.Invoke();
            action();
        }
        var runs = new List<(double Wall, double Cpu)>();
        for (var i = 0; i < settings.Repetitions; i++)
        {
            beforeEach?.Invoke();
            runs.Add(TimeOnce(action));
        }
        return new Timing(runs.Select(r => r.Wall).ToList(), runs.Select(r => r.Cpu).ToList());
    }

    /// <summary>
    /// Times several cases that are to be compared in rounds (A B C, A B C, ...) rather than one
    /// after the other, so that a burst of load from another process hits them alike.
    /// </summary>
    public static IReadOnlyList<Timing> MeasureInterleaved(IReadOnlyList<Action> actions, BenchSettings settings)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.Repetitions, 1);
        for (var i = 0; i < settings.Warmup; i++)
            foreach (var action in actions) action();
        var runs = actions.Select(_ => new List<(double Wall, double Cpu)>()).ToList();
        for (var i = 0; i < settings.Repetitions; i++)
            for (var k = 0; k < actions.Count; k++)
                runs[k].Add(TimeOnce(actions[k]));
        return runs.Select(r => new Timing(r.Select(x => x.Wall).ToList(), r.Select(x => x.Cpu).ToList())).ToList();
    }

    /// <summary>One timed run, after a full garbage collection so that the last run's garbage is not collected in this one.</summary>
    internal static (double Wall, double Cpu) TimeOnce(Action action)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        action();
        var wall = watch.Elapsed.TotalSeconds;
        process.Refresh();
        return (wall, (process.TotalProcessorTime - cpuBefore).TotalSeconds);
    }
}
