using System.Globalization;
using ProbeGrid.Analysis.Training;

namespace ProbeGrid.Cli.Output;

/// <summary>
/// Turns the trainer's reports into progress lines: the step of the total, the mean training loss over the interval
/// since the last line, the rate (steps and samples a second, over this process's steps: a resumed run's earlier steps
/// are not its own) and the ETA. Before the first step the loss reads "--", never blank.
/// </summary>
public sealed class TrainingProgressMeter(int batchSize)
{
    /// <summary>Without a terminal: a line at least this often while training, besides one each tenth of the steps.</summary>
    public static readonly TimeSpan LineInterval = TimeSpan.FromSeconds(10);

    private TrainingProgress? first;
    private TrainingProgress? latest;
    private TrainingProgress? lastLine;
    private double lossSum;
    private long lossSteps;
    private double? shownLoss;
    private string? checkpoint;

    public void Add(TrainingProgress report)
    {
        first ??= report;
        var steps = latest is null ? 0 : Math.Max(0, report.Step - latest.Step);
        if (report.MeanLoss is { } loss)
        {
            // A report's mean covers the steps since the one before: weigh it by them, so the line's mean is over its whole interval.
            var weight = Math.Max(1, steps);
            lossSum += loss * weight;
            lossSteps += weight;
        }
        if (report.CheckpointWritten is { } written) checkpoint = written;
        latest = report;
    }

    /// <summary>Whether a line is due without a terminal: the first report, each tenth of the steps, every <see cref="LineInterval"/>, and the last step.</summary>
    public bool LineDue()
    {
        if (latest is null) return false;
        if (lastLine is null) return true;
        if (latest.Step == lastLine.Step) return false;
        if (latest.Step >= latest.TotalSteps) return true;
        return Decile(latest) > Decile(lastLine) || latest.Elapsed - lastLine.Elapsed >= LineInterval;
    }

    /// <summary>The line for the interval since the last one; starts the next interval.</summary>
    /// <param name="compact">for a bar's description, which shows the fraction itself: no percentage, samples/s or checkpoint.</param>
    public string TakeLine(bool compact = false)
    {
        if (latest is null) throw new InvalidOperationException("no progress reported yet");
        if (lossSteps > 0) shownLoss = lossSum / lossSteps;
        var line = compact ? DescribeCompact(latest, shownLoss, Rate()) : Describe(latest, shownLoss, Rate(), batchSize, checkpoint);
        (lossSum, lossSteps, checkpoint, lastLine) = (0, 0, null, latest);
        return line;
    }

    /// <summary>The latest report's step, for a progress bar.</summary>
    public long Step => latest?.Step ?? 0;

    public long TotalSteps => latest?.TotalSteps ?? 0;

    /// <summary>Steps a second over this process's steps so far; null before any step ran, or no time passed.</summary>
    private double? Rate()
    {
        if (first is null || latest is null) return null;
        var seconds = (latest.Elapsed - first.Elapsed).TotalSeconds;
        var steps = latest.Step - first.Step;
        return steps > 0 && seconds > 0 ? steps / seconds : null;
    }

    private static long Decile(TrainingProgress p) => p.TotalSteps > 0 ? 10 * p.Step / p.TotalSteps : 0;

    /// <summary>
    /// <c>step 300/1500 (20%), loss 0.6931, 125.0 steps/s (4000 samples/s), ETA 00:00:10, wrote step-0000300.pt</c>; "--" for what is not known yet.
    /// </summary>
    public static string Describe(TrainingProgress at, double? loss, double? stepsPerSecond, int batchSize, string? checkpointWritten)
    {
        var i = CultureInfo.InvariantCulture;
        var percent = at.TotalSteps > 0 ? (int)(100 * at.Step / at.TotalSteps) : 100;
        var parts = new List<string>
        {
            $"step {at.Step.ToString(i)}/{at.TotalSteps.ToString(i)} ({percent.ToString(i)}%)",
            Loss(loss),
            stepsPerSecond is { } rate
                ? $"{rate.ToString("0.0", i)} steps/s ({(rate * batchSize).ToString("0", i)} samples/s)"
                : "-- steps/s",
            Eta(at, stepsPerSecond),
        };
        if (checkpointWritten is not null) parts.Add("wrote " + checkpointWritten);
        return string.Join(", ", parts);
    }

    /// <summary><c>step 300/1500, loss 0.6931, 125.0 steps/s, ETA 00:00:10</c>: what fits beside a bar on an 80-column terminal.</summary>
    public static string DescribeCompact(TrainingProgress at, double? loss, double? stepsPerSecond)
    {
        var i = CultureInfo.InvariantCulture;
        return string.Join(", ", $"step {at.Step.ToString(i)}/{at.TotalSteps.ToString(i)}", Loss(loss),
            (stepsPerSecond is { } rate ? rate.ToString("0.0", i) : "--") + " steps/s", Eta(at, stepsPerSecond));
    }

    private static string Loss(double? loss) => "loss " + (loss is { } l ? l.ToString("G4", CultureInfo.InvariantCulture) : "--");

    private static string Eta(TrainingProgress at, double? stepsPerSecond) => "ETA " + (at.Step >= at.TotalSteps ? "done"
        : stepsPerSecond is { } r ? Clock(TimeSpan.FromSeconds(Math.Ceiling((at.TotalSteps - at.Step) / r))) : "--:--:--");

    /// <summary>hours:minutes:seconds, the hours not wrapping at a day.</summary>
    private static string Clock(TimeSpan t) => string.Create(CultureInfo.InvariantCulture, $"{(long)t.TotalHours:00}:{t.Minutes:00}:{t.Seconds:00}");
}
