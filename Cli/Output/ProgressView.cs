using Microsoft.Extensions.Logging;
using ProbeGrid.Client;
using ProbeGrid.GrainsInterfaces.Sweeps;
using Spectre.Console;

namespace ProbeGrid.Cli.Output;

/// <summary>
/// A live progress bar on stderr (units done, failed, running, rate, ETA) while a sweep runs;
/// stdout stays free for the sweep id. Without a terminal it logs a progress line every 10 s.
/// </summary>
public static class ProgressView
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    public static async Task<SweepStatus> WatchAsync(ProbeGridClient client, string sweepId, ILogger logger, CancellationToken ct)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        if (!console.Profile.Capabilities.Interactive) return await LogAsync(client, sweepId, logger, ct);

        SweepStatus? last = null;
        await console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                ProgressTask? task = null;
                await foreach (var status in client.WatchAsync(sweepId, Interval, ct))
                {
                    last = status;
                    task ??= context.AddTask(Describe(status), maxValue: Math.Max(1, status.TotalUnits));
                    task.Value = status.Done;
                    task.Description = Describe(status);
                }
                task?.StopTask();
            });
        return last!;
    }

    public static string Describe(SweepStatus s) =>
        $"{s.SweepId}: {s.Done}/{s.TotalUnits} units ({s.Failed} failed, {s.Running} running) {s.UnitsPerMinute:F1}/min ETA {Eta(s)}";

    private static async Task<SweepStatus> LogAsync(ProbeGridClient client, string sweepId, ILogger logger, CancellationToken ct)
    {
        SweepStatus? last = null;
        var nextLog = DateTime.MinValue;
        await foreach (var status in client.WatchAsync(sweepId, Interval, ct))
        {
            last = status;
            if (DateTime.UtcNow < nextLog && !status.IsFinished) continue;
            logger.LogInformation("{Progress}", Describe(status));
            nextLog = DateTime.UtcNow.AddSeconds(10);
        }
        return last!;
    }

    private static string Eta(SweepStatus s) => s.IsFinished ? "done" : s.Eta is { } eta ? eta.ToString(@"hh\:mm\:ss") : "--:--:--";
}
