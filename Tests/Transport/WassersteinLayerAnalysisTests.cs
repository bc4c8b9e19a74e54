using ProbeGrid.Analysis.Transport;

namespace ProbeGrid.Tests.Transport;

public class WassersteinLayerAnalysisTests
{
    [Fact]
    public void Distances_kinds_and_early_exit_of_a_hand_made_checkpoint()
    {
        // Two samples, two classes, two layers; targets {0} and {0, 1}, used for validation and test.
        float[] targets = [1, 0, 1, 1];
        var shallow = new LayerPredictions("shallow", [0.9f, 0.1f, 0.5f, 0.5f], [0.9f, 0.1f, 0.5f, 0.5f]);
        var deep = new LayerPredictions("deep", [0.3f, 0.9f, 0.8f, 0.8f], [0.3f, 0.9f, 0.8f, 0.8f]);

        var report = WassersteinLayerAnalysis.Analyse([shallow, deep], targets, targets, 2, multiLabel: true,
            new WassersteinOptions { Sinkhorn = new SinkhornOptions { Epsilon = 1e-3, Tolerance = 1e-9, MaxIterations = 100_000 } }, CancellationToken.None);

        // μ = (1, 0) and (0.5, 0.5). Shallow μ̂ = (0.9, 0.1), (0.5, 0.5): TV 0.1 and 0. Deep μ̂ = (0.25, 0.75), (0.5, 0.5): TV 0.75 and 0.
        var s = report.Layers[0];
        var d = report.Layers[1];
        Assert.Equal(0.05, s.WDistanceMean!.Value, 1e-3);
        Assert.Equal(0.375, d.WDistanceMean!.Value, 1e-3);
        Assert.Equal(0.375, d.WDistanceStd!.Value, 1e-3);
        Assert.Equal(0.05, s.ChebyshevMean!.Value, 1e-6);
        Assert.Equal(-0.5 * Math.Log(0.9), s.KlMean!.Value, 1e-6);
        Assert.Equal(2, s.Samples);
        // Sample 0 is small (0.1) at the shallow layer, large (0.75) at the last: confused there; sample 1 is easy everywhere.
        Assert.Equal(new SampleKinds.Counts(Easy: 1, Confused: 1, Hard: 0, Samples: 2), s.Kinds);
        Assert.Equal(new SampleKinds.Counts(Easy: 1, Confused: 0, Hard: 1, Samples: 2), d.Kinds);
        // The shallow classifier predicts {0} and {} (0.5 is not above s1); the deep one {1} and {0, 1}.
        Assert.Equal(0.5, s.Classifier.Accuracy);
        Assert.Equal(0.5, d.Classifier.Accuracy);
        // Early exit: sample 0 leaves at the shallow layer (n = m = 1 for s2 < 0.9), sample 1 cannot (n = 0) and takes the deep layer: both right.
        Assert.Equal(1.0, report.EarlyExit.Test.Accuracy);
        Assert.Equal(0.5, report.EarlyExit.Baseline.Accuracy);
        Assert.Equal(0.5, s.ExitShare);
        Assert.Equal(0.5, d.ExitShare);
        Assert.Null(report.Warning);
    }

    [Fact]
    public void A_sample_with_an_empty_label_set_is_left_out_and_counted_never_nan()
    {
        float[] targets = [1, 0, 0, 0];
        var layer = new LayerPredictions("only", [0.9f, 0.1f, 0.2f, 0.2f], [0.9f, 0.1f, 0.2f, 0.2f]);
        var report = WassersteinLayerAnalysis.Analyse([layer], targets, targets, 2, true, new WassersteinOptions(), CancellationToken.None);
        var t = Assert.Single(report.Layers);
        Assert.Equal(1, t.Samples);
        Assert.Equal(1, t.Degenerate);
        Assert.Equal(0.1, t.WDistanceMean!.Value, 0.02);
        Assert.True(double.IsFinite(t.KlMean!.Value));

        var none = WassersteinLayerAnalysis.Analyse([layer], [0, 0, 0, 0], [0, 0, 0, 0], 2, true, new WassersteinOptions(), CancellationToken.None);
        Assert.Null(none.Layers[0].WDistanceMean);
        Assert.Equal(2, none.Layers[0].Degenerate);
    }

    [Fact]
    public void Nan_outputs_and_mismatched_shapes_are_refused_with_the_cause()
    {
        var bad = new LayerPredictions("conv1", [float.NaN, 0.5f], [0.5f, 0.5f]);
        var e = Assert.Throws<ArgumentException>(() => WassersteinLayerAnalysis.Analyse([bad], [1, 0], [1, 0], 2, true, new WassersteinOptions(), CancellationToken.None));
        Assert.Contains("layer 'conv1' has NaN or infinite classifier outputs", e.Message);
        var shape = new LayerPredictions("conv1", [0.5f, 0.5f], [0.5f, 0.5f, 0.5f, 0.5f]);
        e = Assert.Throws<ArgumentException>(() => WassersteinLayerAnalysis.Analyse([shape], [1, 0], [1, 0], 2, true, new WassersteinOptions(), CancellationToken.None));
        Assert.Contains("has 2/4 outputs but the targets have 2/2 values", e.Message);
    }
}
