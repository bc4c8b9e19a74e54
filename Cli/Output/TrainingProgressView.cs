using Microsoft.Extensions.Logging;
using ProbeGrid.Analysis.Training;
using Spectre.Console;

namespace ProbeGrid.Cli.Output;

/// <summary>
/// <c>probegrid train</c>'s progress, as <see cref="ProgressView"/> shows a sweep's: on a terminal a live bar on stderr
/// (the <see cref="TrainingProgressMeter"/> line as its description); otherwise (CI logs, pipes, or while a following
/// sweep shows its own bar) one log line per interval. Reports arrive on the training thread.
/// </summary>
public sealed class TrainingProgressView : IProgress<TrainingProgress>
{
    private static readonly TimeSpan Refresh = TimeSpan.FromMilliseconds(250);

    private readonly TrainingProgressMeter meter;
    private readonly ILogger logger;
    private readonly Action<TrainingProgress>? onReport;
    private readonly IAnsiConsole console = ProgressView.ErrorConsole();
    private readonly bool bar;
    private readonly Lock gate = new();
    private bool changed;

    /// <param name="allowBar">false while something else holds the terminal's live display (a following sweep's bar): lines then.</param>
    /// <param name="onReport">also called with each report, on the training thread.</param>
    public TrainingProgressView(int batchSize, ILogger logger, bool allowBar, Action<TrainingProgress>? onReport = null)
    {
        (meter, this.logger, this.onReport) = (new TrainingProgressMeter(batchSize), logger, onReport);
        bar = allowBar && console.Profile.Capabilities.Interactive;
    }

    public void Report(TrainingProgress value)
    {
        string? line = null;
        lock (gate)
        {
            meter.Add(value);
            changed = true;
            if (!bar && meter.LineDue()) line = meter.TakeLine();
        }
        if (line is not null) logger.LogInformation("{Progress}", line);
        onReport?.Invoke(value);
    }

    /// <summary>Shows the bar (on a terminal) until <paramref name="training"/> ends; returns its result.</summary>
    public async Task<T> ShowUntil<T>(Task<T> training)
    {
        if (!bar) return await training;
        await ProgressView.Bar(console).StartAsync(async context =>
        {
            var task = context.AddTask("training", maxValue: 1);
            while (true)
            {
                var done = training.IsCompleted;
                lock (gate)
                {
                    if (changed)
                    {
                        task.MaxValue = Math.Max(1, meter.TotalSteps);
                        task.Value = meter.Step;
                        task.Description = Markup.Escape(meter.TakeLine(compact: true));
                        changed = false;
                    }
                }
                if (done) break;
                await Task.WhenAny(training, Task.Delay(Refresh));
            }
            task.StopTask();
        });
        return await training;
    }
}
