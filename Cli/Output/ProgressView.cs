using System.Globalization;
using Microsoft.Extensions.Logging;
using ProbeGrid.Client;
using ProbeGrid.GrainsInterfaces.Sweeps;
using Spectre.Console;

namespace ProbeGrid.Cli.Output;

/// <summary>
/// A live progress bar on stderr (units done, failed, running, rate, ETA) while a sweep runs;
/// stdout stays free for the sweep id. Without a terminal it logs a progress line every 10 s.
/// A sweep that follows a training run also shows how it keeps up (checkpoints landed, backlog, lag)
/// and, each time it changes, the newest analysed checkpoint with its headline metric per layer.
/// </summary>
public static class ProgressView
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    /// <param name="newCheckpoint">called each time a following sweep's newest analysed checkpoint changes (e.g. to rewrite the plots).</param>
    public static async Task<SweepStatus> WatchAsync(ProbeGridClient client, string sweepId, ILogger logger, CancellationToken ct, Func<Task>? newCheckpoint = null)
    {
        var console = ErrorConsole();
        if (!console.Profile.Capabilities.Interactive) return await LogAsync(client, sweepId, logger, ct, newCheckpoint);

        SweepStatus? last = null;
        await Bar(console)
            .StartAsync(async context =>
            {
                ProgressTask? task = null;
                ProgressTask? newestTask = null;
                var newest = new NewestCheckpoint(client, sweepId);
                await foreach (var status in client.WatchAsync(sweepId, Interval, ct))
                {
                    last = status;
                    task ??= context.AddTask(Markup.Escape(Describe(status)), maxValue: Math.Max(1, status.TotalUnits));
                    task.MaxValue = Math.Max(1, status.TotalUnits);
                    task.Value = status.Done;
                    task.Description = Markup.Escape(Describe(status));
                    if (await newest.ChangedAsync(status) is { } line)
                    {
                        newestTask ??= context.AddTask("", maxValue: 1);
                        newestTask.Description = Markup.Escape(line);
                        newestTask.Value = 1;
                        if (newCheckpoint is not null) await newCheckpoint();
                    }
                }
                task?.StopTask();
                newestTask?.StopTask();
            });
        return last!;
    }

    /// <summary>The console on stderr (stdout stays free for ids and data); not interactive when stderr is redirected.</summary>
    internal static IAnsiConsole ErrorConsole() => AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });

    /// <summary>The live bar every long command shows: its description, the bar, the percentage and a spinner.</summary>
    internal static Progress Bar(IAnsiConsole console) =>
        console.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new SpinnerColumn());

    public static string Describe(SweepStatus s) =>
        $"{s.SweepId}: {s.Done}/{s.TotalUnits} units ({s.Failed} failed, {s.Running} running) {s.UnitsPerMinute:F1}/min ETA {Eta(s)}" +
        (s.Follow is { } f ? " | " + Describe(f) : "");

    /// <summary>How a following sweep keeps up with its run, in one line.</summary>
    public static string Describe(FollowStatus f)
    {
        var state = f.End switch
        {
            FollowEnd.None => "following",
            FollowEnd.TrainingFinished => "training finished",
            FollowEnd.Stopped => "stopped following",
            FollowEnd.IdleTimeout => "stopped following (idle)",
            _ => "cancelled",
        };
        var parts = new List<string> { $"{state}: {f.Landed} checkpoints landed, {f.Analysed} analysed, backlog {f.Backlog}" };
        if (f.WaitingToSettle > 0) parts.Add($"{f.WaitingToSettle} settling");
        if (f.Duplicates > 0) parts.Add($"{f.Duplicates} duplicate{(f.Duplicates == 1 ? "" : "s")}");
        if (f.Skipped > 0) parts.Add($"{f.Skipped} skipped");
        if (f.LastLag is { } lag) parts.Add($"lag {Seconds(lag)} (mean {Seconds(f.MeanLag!.Value)}, max {Seconds(f.MaxLag!.Value)})");
        return string.Join(", ", parts);
    }

    /// <summary>The newest analysed checkpoint and each analysis's headline metric per layer (the mean over repeats).</summary>
    public static string Describe(AnalysedCheckpoint a, FollowStatus? follow)
    {
        var metrics = a.Headline.GroupBy(v => v.Metric).Select(m =>
            $"{m.Key} " + string.Join(" · ", m.GroupBy(v => (v.LayerIndex, v.Layer)).OrderBy(l => l.Key.LayerIndex)
                .Select(l => $"{l.Key.Layer} {l.Average(v => v.Value).ToString("0.###", CultureInfo.InvariantCulture)}")));
        var lag = follow?.LastLag is { } last && follow.NewestAnalysed == a.Checkpoint.Name ? $", lag {Seconds(last)}" : "";
        return $"newest analysed: {a.Checkpoint.Name} (step {a.Checkpoint.Step}{lag}): {string.Join("; ", metrics)}";
    }

    private static async Task<SweepStatus> LogAsync(ProbeGridClient client, string sweepId, ILogger logger, CancellationToken ct, Func<Task>? newCheckpoint)
    {
        SweepStatus? last = null;
        var nextLog = DateTime.MinValue;
        var newest = new NewestCheckpoint(client, sweepId);
        await foreach (var status in client.WatchAsync(sweepId, Interval, ct))
        {
            last = status;
            if (await newest.ChangedAsync(status) is { } line)
            {
                logger.LogInformation("{Newest}", line);
                if (newCheckpoint is not null) await newCheckpoint();
            }
            if (DateTime.UtcNow < nextLog && !status.IsFinished) continue;
            logger.LogInformation("{Progress}", Describe(status));
            nextLog = DateTime.UtcNow.AddSeconds(10);
        }
        return last!;
    }

    private static string Eta(SweepStatus s) => s.IsFinished ? "done" : s.Eta is { } eta ? eta.ToString(@"hh\:mm\:ss") : "--:--:--";

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";

    /// <summary>Asks for the newest analysed checkpoint when a following sweep's status says it changed.</summary>
    private sealed class NewestCheckpoint(ProbeGridClient client, string sweepId)
    {
        private string? shown;

        /// <returns>a line describing it when it differs from the one shown last; null otherwise.</returns>
        public async Task<string?> ChangedAsync(SweepStatus status)
        {
            if (status.Follow?.NewestAnalysed is not { } name || name == shown) return null;
            if (await client.GetNewestAnalysedAsync(sweepId) is not { } analysed) return null;
            shown = name;
            return Describe(analysed, status.Follow);
        }
    }
}
