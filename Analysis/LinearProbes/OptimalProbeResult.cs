namespace ProbeGrid.Analysis.LinearProbes;

/// <summary>One L2 strength's head after solving: how it stopped, and its losses (validation picks the head).</summary>
public sealed record L2Candidate(
    double L2,
    ProbeStopReason StopReason,
    int Iterations,
    double GradientNorm,
    double Objective,
    double TrainLoss,
    double ValidationLoss,
    double ValidationError)
{
    public bool Converged => StopReason is ProbeStopReason.GradientTolerance or ProbeStopReason.ObjectiveChange;
}

/// <summary>
/// A layer's probe at the optimum of its convex problem, for the L2 strength the validation split chose. The weights act
/// on standardised features (h − Mean) / Scale; <see cref="ToRawWeights"/> folds the standardisation in.
/// Losses are as <see cref="ProbeObjective"/> reports them; <see cref="Objective"/> is the penalised training objective.
/// </summary>
public sealed record OptimalProbeResult
{
    public required string Tap { get; init; }

    /// <summary>The training split's statistics: apply them to any features this probe reads (warm start, export, reuse).</summary>
    public required FeatureStandardization Standardization { get; init; }

    /// <summary>W, [Inputs x Classes] row-major, on standardised features.</summary>
    public required double[] Weights { get; init; }

    /// <summary>b; for a softmax probe centred to sum 0 (the logits' common shift is free).</summary>
    public required double[] Bias { get; init; }

    public int Inputs => Standardization.Dimensions;

    public int Classes => Bias.Length;

    /// <summary>Sigmoid per class (label sets) rather than softmax.</summary>
    public required bool MultiLabel { get; init; }

    /// <summary>The chosen λ of the penalty (λ/2)·‖W‖².</summary>
    public required double L2 { get; init; }

    public required ProbeStopReason StopReason { get; init; }

    public bool Converged => StopReason is ProbeStopReason.GradientTolerance or ProbeStopReason.ObjectiveChange;

    public required int Iterations { get; init; }

    /// <summary>The largest entry of the objective's gradient at the returned weights.</summary>
    public required double GradientNorm { get; init; }

    /// <summary>The penalised training objective (scikit-learn's convention, see <see cref="ConvexProbeSolver"/>).</summary>
    public required double Objective { get; init; }

    public required double TrainLoss { get; init; }

    public required double TrainError { get; init; }

    public required double ValidationLoss { get; init; }

    public required double ValidationError { get; init; }

    public required double TestLoss { get; init; }

    public required double TestError { get; init; }

    /// <summary>Every L2 strength tried, in the grid's order.</summary>
    public required IReadOnlyList<L2Candidate> Candidates { get; init; }

    public required bool WarmStarted { get; init; }

    /// <summary>The weights on standardised features in float32: the warm start of the next checkpoint's probe.</summary>
    public ProbeWeights ToStandardisedWeights() =>
        new(Weights.Select(w => (float)w).ToArray(), Bias.Select(b => (float)b).ToArray(), Inputs, Classes);

    /// <summary>
    /// The same probe on raw features: W'ᵢ = Wᵢ / scaleᵢ, b' = b − Σᵢ meanᵢ·W'ᵢ, so <see cref="ProbePredictor"/> can
    /// run it on unstandardised activations.
    /// </summary>
    public ProbeWeights ToRawWeights()
    {
        var weights = new float[Weights.Length];
        var bias = (double[])Bias.Clone();
        for (var i = 0; i < Inputs; i++)
            for (var c = 0; c < Classes; c++)
            {
                var w = Weights[i * Classes + c] / Standardization.Scale[i];
                weights[i * Classes + c] = (float)w;
                bias[c] -= Standardization.Mean[i] * w;
            }
        return new ProbeWeights(weights, bias.Select(b => (float)b).ToArray(), Inputs, Classes);
    }
}
