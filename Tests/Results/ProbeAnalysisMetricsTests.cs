using ProbeGrid.Analysis.LinearProbes;
using ProbeGrid.Grains.Analyses;
using ProbeGrid.GrainsInterfaces.Results;
using ProbeGrid.GrainsInterfaces.Sweeps;

namespace ProbeGrid.Tests.Results;

/// <summary>A probe result becomes one metric value per documented probe metric, at its (checkpoint, layer, repeat).</summary>
public class ProbeAnalysisMetricsTests
{
    [Fact]
    public void A_probe_result_yields_every_probe_metric_with_its_value_and_coordinates()
    {
        var result = new ProbeResult("layer3", TrainError: 0.125, TrainLoss: 0.3, ValidationError: 0.25, ValidationLoss: 0.6,
            TestError: 0.375, TestLoss: 0.9, EpochsRun: 17, BestEpoch: 12, new ProbeWeights([1f, 2f], [0f, 0f], 1, 2)) { WarmStarted = true };
        var checkpoint = new CheckpointRef("step-0000400", 400, "/data/run/step-0000400.pt");
        var layer = new LayerRef("layer3", 3);

        var metrics = ProbeAnalysis.Metrics(result, checkpoint, layer, repeat: 2).ToList();

        Assert.Equal(MetricNames.Probe, metrics.Select(m => m.Metric));
        Assert.Equal(
            new Dictionary<string, double>
            {
                ["probe.train_error"] = 0.125,
                ["probe.train_loss"] = 0.3,
                ["probe.val_error"] = 0.25,
                ["probe.val_loss"] = 0.6,
                ["probe.test_error"] = 0.375,
                ["probe.test_loss"] = 0.9,
                ["probe.epochs"] = 17,
                ["probe.best_epoch"] = 12,
                ["probe.warm_started"] = 1,
            },
            metrics.ToDictionary(m => m.Metric, m => m.Value));
        Assert.All(metrics, m =>
        {
            Assert.Equal("step-0000400", m.Checkpoint);
            Assert.Equal(400, m.Step);
            Assert.Equal("layer3", m.Layer);
            Assert.Equal(3, m.LayerIndex);
            Assert.Equal(2, m.Repeat);
        });
    }

    [Fact]
    public void A_cold_started_probe_reports_warm_started_as_zero()
    {
        var result = new ProbeResult("input", 0, 0, 0, 0, 0, 0, 1, 1, new ProbeWeights([0f], [0f], 1, 1));
        var metrics = ProbeAnalysis.Metrics(result, new CheckpointRef("untrained", 0, null), new LayerRef("input", 0), 0);
        Assert.Equal(0.0, Assert.Single(metrics, m => m.Metric == MetricNames.ProbeWarmStarted).Value);
    }

    [Fact]
    public void The_metric_names_are_the_stable_documented_ones()
    {
        Assert.Equal(
            ["probe.train_error", "probe.train_loss", "probe.val_error", "probe.val_loss", "probe.test_error", "probe.test_loss", "probe.epochs", "probe.best_epoch", "probe.warm_started"],
            MetricNames.Probe);
        Assert.Equal("probe.test_error", MetricNames.ProbeTestError);
    }
}
