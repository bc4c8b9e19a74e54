using TorchSharp;

namespace ProbeGrid.Analysis.Transport;

/// <summary>
/// The Wasserstein analysis of layer behaviour for one checkpoint: for every layer, the
/// distances between the label distribution its internal classifier predicts and the target
/// distribution, per test sample (Algorithm 1 is their mean per layer; Algorithm 2 follows a
/// layer's mean across checkpoints), the sample kinds, and early exit across the layers (Algorithm 3).
/// </summary>
public static class WassersteinLayerAnalysis
{
    /// <param name="layers">Internal-classifier outputs per layer, in depth order; the last is the baseline.</param>
    /// <param name="validationTargets">Row-major [N, K] 0/1 label sets (one-hot for single-label data).</param>
    /// <exception cref="ArgumentException">Bad options, or outputs and targets that do not match.</exception>
    public static WassersteinReport Analyse(
        IReadOnlyList<LayerPredictions> layers,
        float[] validationTargets,
        float[] testTargets,
        int classCount,
        bool multiLabel,
        WassersteinOptions options,
        CancellationToken ct,
        torch.Device? device = null)
    {
        CheckInputs(layers, validationTargets, testTargets, classCount, options);
        var cost = options.Cost ?? CostMatrix.ZeroOne(classCount);
        var (targets, targetValid) = LabelDistributions.Normalise(testTargets, classCount);

        var distances = new List<double[]>();
        var valid = new List<bool[]>();
        // Kinds and exit shares compare all layers: filled in once every layer's distances are known.
        var perLayer = new List<LayerTransport>();
        var warnings = new List<string>();
        foreach (var layer in layers)
        {
            ct.ThrowIfCancellationRequested();
            var (predicted, predictedValid) = LabelDistributions.Normalise(layer.Test, classCount);
            var usable = Enumerable.Range(0, targetValid.Length).Where(s => targetValid[s] && predictedValid[s]).ToArray();
            var layerValid = new bool[targetValid.Length];
            foreach (var s in usable) layerValid[s] = true;

            var w = new double[targetValid.Length];
            var kl = new List<double>();
            var js = new List<double>();
            var chebyshev = new List<double>();
            var iterations = 0;
            var unconverged = 0;
            if (usable.Length > 0)
            {
                var a = usable.SelectMany(s => predicted.AsSpan(s * classCount, classCount).ToArray()).ToArray();
                var b = usable.SelectMany(s => targets.AsSpan(s * classCount, classCount).ToArray()).ToArray();
                var solved = SinkhornSolver.Solve(a, b, cost, options.Sinkhorn, device, ct);
                for (var i = 0; i < usable.Length; i++) w[usable[i]] = solved.Costs[i];
                iterations = solved.Iterations;
                unconverged = solved.UnconvergedPairs;
                if (solved.Warning(options.Sinkhorn) is { } warning) warnings.Add($"layer {layer.Tap}: {warning}");
                foreach (var s in usable)
                {
                    var mu = targets.AsSpan(s * classCount, classCount);
                    var muHat = predicted.AsSpan(s * classCount, classCount);
                    kl.Add(DistributionDistances.KullbackLeibler(mu, muHat));
                    js.Add(DistributionDistances.JensenShannon(mu, muHat));
                    chebyshev.Add(DistributionDistances.Chebyshev(mu, muHat));
                }
            }
            distances.Add(w);
            valid.Add(layerValid);

            var usedW = usable.Select(s => w[s]).ToList();
            var classifier = MultiLabelMetrics.Evaluate(MultiLabelMetrics.PredictedSets(layer.Test, classCount, multiLabel), layer.Test, testTargets, classCount);
            perLayer.Add(new LayerTransport(
                layer.Tap, Mean(usedW), StandardDeviation(usedW), Mean(kl), Mean(js), Mean(chebyshev), usable.Length, targetValid.Length - usable.Length,
                Kinds: new SampleKinds.Counts(0, 0, 0, 0), classifier, ExitShare: 0, iterations, unconverged));
        }

        var kinds = SampleKinds.Count(distances, valid, options.KindThreshold);
        var choice = EarlyExit.Choose(layers.Select(l => l.Validation).ToList(), validationTargets, classCount, multiLabel, options.GridStep);
        var decisions = EarlyExit.Decide(layers.Select(l => l.Test).ToList(), classCount, multiLabel, choice.S2, choice.Rho);
        var earlyExit = new EarlyExitReport(choice,
            MultiLabelMetrics.Evaluate(decisions.Predicted, decisions.Scores, testTargets, classCount),
            perLayer[^1].Classifier); // the baseline: the last layer alone
        var rows = Math.Max(1, decisions.ExitLayer.Length);
        var report = perLayer.Select((t, l) => t with { Kinds = kinds[l], ExitShare = (double)decisions.ExitLayer.Count(e => e == l) / rows }).ToList();
        return new WassersteinReport(report, earlyExit, warnings.Count == 0 ? null : string.Join("; ", warnings));
    }

    private static double? Mean(List<double> values) => values.Count == 0 ? null : values.Average();

    private static double? StandardDeviation(List<double> values)
    {
        if (values.Count == 0) return null;
        var mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Count);
    }

    private static void CheckInputs(IReadOnlyList<LayerPredictions> layers, float[] validationTargets, float[] testTargets, int classCount, WassersteinOptions options)
    {
        var problems = options.Validate().ToList();
        if (layers.Count == 0) problems.Add("no layers to analyse");
        if (classCount < 2) problems.Add($"classCount {classCount} must be at least 2");
        if (options.Cost is { } cost && cost.Size != classCount)
            problems.Add($"the cost matrix is over {cost.Size} labels but the data has {classCount} classes");
        foreach (var layer in layers)
        {
            if (layer.Validation.Length != validationTargets.Length || layer.Test.Length != testTargets.Length)
                problems.Add($"layer '{layer.Tap}' has {layer.Validation.Length}/{layer.Test.Length} outputs but the targets have {validationTargets.Length}/{testTargets.Length} values");
            if (layer.Test.Concat(layer.Validation).Any(x => !float.IsFinite(x)))
                problems.Add($"layer '{layer.Tap}' has NaN or infinite classifier outputs: its features or classifier diverged; lower the classifier's learning rate");
        }
        if (testTargets.Length % classCount != 0 || validationTargets.Length % classCount != 0)
            problems.Add($"targets are not whole rows of {classCount} classes");
        if (problems.Count > 0) throw new ArgumentException("Wasserstein analysis: " + string.Join("; ", problems));
    }
}
