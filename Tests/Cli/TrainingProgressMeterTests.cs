using ProbeGrid.Analysis.Training;
using ProbeGrid.Cli.Output;

namespace ProbeGrid.Tests.Cli;

/// <summary>The lines `probegrid train` shows: known reports give the exact line; a line is due each tenth of the steps, every 10 s, and at the end.</summary>
public sealed class TrainingProgressMeterTests
{
    private static TrainingProgress At(long step, double? loss, double seconds, string? checkpoint = null, long total = 100) =>
        new(step, total, loss, TimeSpan.FromSeconds(seconds), checkpoint);

    [Fact]
    public void Lines_give_step_the_interval_loss_rate_and_eta_and_never_a_blank_loss()
    {
        var meter = new TrainingProgressMeter(batchSize: 32);
        Assert.False(meter.LineDue());

        meter.Add(At(0, null, 0, "step-0000000.pt"));
        Assert.True(meter.LineDue());
        Assert.Equal("step 0/100 (0%), loss --, -- steps/s, ETA --:--:--, wrote step-0000000.pt", meter.TakeLine());

        meter.Add(At(5, 0.8, 1));
        Assert.False(meter.LineDue()); // neither a tenth of the steps nor 10 s since the last line
        meter.Add(At(10, 0.6, 2));
        Assert.True(meter.LineDue());
        // The loss is the mean over the interval's 10 steps, each report weighed by the steps it covers.
        Assert.Equal("step 10/100 (10%), loss 0.7, 5.0 steps/s (160 samples/s), ETA 00:00:18", meter.TakeLine());

        meter.Add(At(12, 0.5, 14));
        Assert.True(meter.LineDue()); // 12 s since the last line
        Assert.Equal("step 12/100 (12%), loss 0.5, 0.9 steps/s (27 samples/s), ETA 00:01:43", meter.TakeLine());

        // An interval without a step keeps the last loss rather than none.
        meter.Add(At(12, null, 15, "step-0000012.pt"));
        Assert.False(meter.LineDue());
        Assert.Equal("step 12/100 (12%), loss 0.5, 0.8 steps/s (26 samples/s), ETA 00:01:50, wrote step-0000012.pt", meter.TakeLine());

        meter.Add(At(100, 0.25, 20, "step-0000100.pt"));
        Assert.True(meter.LineDue());
        Assert.Equal("step 100/100 (100%), loss 0.25, 5.0 steps/s (160 samples/s), ETA done, wrote step-0000100.pt", meter.TakeLine());
        Assert.False(meter.LineDue());
    }

    [Fact]
    public void A_resumed_run_counts_its_rate_over_its_own_steps_and_the_bar_gets_the_compact_line()
    {
        var meter = new TrainingProgressMeter(batchSize: 10);
        meter.Add(At(500, 0.3, 0.5, total: 1000));
        Assert.Equal("step 500/1000, loss 0.3, -- steps/s, ETA --:--:--", meter.TakeLine(compact: true));
        meter.Add(At(600, 0.2, 10.5, total: 1000));
        Assert.Equal("step 600/1000, loss 0.2, 10.0 steps/s, ETA 00:00:40", meter.TakeLine(compact: true));
        Assert.Equal(600, meter.Step);
        Assert.Equal(1000, meter.TotalSteps);
    }

    [Fact]
    public void An_eta_past_a_day_counts_hours_on()
    {
        var line = TrainingProgressMeter.Describe(At(1, 1.5, 1, total: 1_000_000), 1.5, 1.0, 128, null);
        Assert.Equal("step 1/1000000 (0%), loss 1.5, 1.0 steps/s (128 samples/s), ETA 277:46:39", line);
    }
}
