using ProbeGrid.Analysis.Training;

namespace ProbeGrid.Analysis.InfoDiscarding;

/// <summary>
/// How σ is learned for one input (SID and RU share these). α = 1.5 and τ = 0.01 are the paper's;
/// the optimiser settings are ours (the paper gives none).
/// </summary>
public sealed record InfoDiscardingOptions
{
    /// <summary>
    /// τ of δ_f² = E_{x' ~ N(x, τI)} ||h(x') − f||². The paper writes the covariance as τI, so τ is
    /// a variance: the normalising noise has standard deviation √τ = 0.1 per input unit.
    /// </summary>
    public double Tau { get; init; } = 0.01;

    /// <summary>α of the constraint E||h(x') − f||² ≈ α δ_f², which fixes λ.</summary>
    public double Alpha { get; init; } = 1.5;

    /// <summary>Relative tolerance of the λ search: it stops when |ratio / α − 1| ≤ this.</summary>
    public double RatioTolerance { get; init; } = 0.05;

    /// <summary>Most λ values tried (each one an Adam run warm-started from the previous σ).</summary>
    public int MaxRounds { get; init; } = 12;

    /// <summary>First λ; null takes 2α / n (n input units), exact when h is locally linear and no σ is capped.</summary>
    public double? InitialLambda { get; init; }

    /// <summary>Monte-Carlo draws of the δ_f² estimate (a relative error of about 1/√draws: 2% here).</summary>
    public int NormalisingSamples { get; init; } = 2048;

    /// <summary>Monte-Carlo draws of the final estimates (the achieved ratio, RU's Ĥ) and of each round's ratio.</summary>
    public int EvaluationSamples { get; init; } = 2048;

    /// <summary>Noise draws δ per Adam step (the reparameterised expectation's batch).</summary>
    public int NoiseBatch { get; init; } = 16;

    /// <summary>Adam steps per λ round (the first round gets twice as many: it starts from σ = √τ).</summary>
    public int StepsPerRound { get; init; } = 300;

    /// <summary>Adam's learning rate on log σ at the start of each round; it decays log-linearly to <see cref="FinalLearningRate"/>.</summary>
    public double LearningRate { get; init; } = 0.05;

    public double FinalLearningRate { get; init; } = 0.002;

    /// <summary>
    /// Largest σ, in input units. A unit the feature ignores feels only the −λ log σ push and would grow
    /// without bound; its σ stops here and is reported as capped. 10 is ten times the range of an
    /// input scaled to [0, 1] or standardised: far beyond any σ the constraint allows a used unit.
    /// </summary>
    public double SigmaCap { get; init; } = 10;

    /// <summary>Draws per forward pass when estimating (bounds memory on large inputs).</summary>
    public int Chunk { get; init; } = 128;

    public long Seed { get; init; }

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        static bool Positive(double v) => v > 0 && double.IsFinite(v);
        if (!Positive(Tau)) problems.Add($"tau {Tau} must be a positive variance (the paper's 0.01)");
        if (!Positive(Alpha)) problems.Add($"alpha {Alpha} must be a positive number (the paper's 1.5)");
        if (!(RatioTolerance > 0 && RatioTolerance < 1)) problems.Add($"ratioTolerance {RatioTolerance} must be in (0, 1), e.g. 0.05");
        if (MaxRounds < 1) problems.Add($"maxRounds {MaxRounds} must be at least 1");
        if (InitialLambda is { } l && !Positive(l)) problems.Add($"initialLambda {l} must be a positive number, or left out for 2α/n");
        if (NormalisingSamples < 2) problems.Add($"normalisingSamples {NormalisingSamples} must be at least 2");
        if (EvaluationSamples < 2) problems.Add($"evaluationSamples {EvaluationSamples} must be at least 2");
        if (NoiseBatch < 1) problems.Add($"noiseBatch {NoiseBatch} must be at least 1");
        if (StepsPerRound < 1) problems.Add($"stepsPerRound {StepsPerRound} must be at least 1");
        if (!Positive(LearningRate) || !Positive(FinalLearningRate)) problems.Add("learningRate and finalLearningRate must be positive numbers");
        if (!Positive(SigmaCap)) problems.Add($"sigmaCap {SigmaCap} must be a positive number");
        else if (Positive(Tau) && SigmaCap <= Math.Sqrt(Tau)) problems.Add($"sigmaCap {SigmaCap} must exceed √tau = {Math.Sqrt(Tau):G3}, where σ starts");
        if (Chunk < 1) problems.Add($"chunk {Chunk} must be at least 1");
        return problems;
    }

    /// <summary>The learning rate of step s (0-based) of a round of <paramref name="steps"/>: log-linear decay, so σ settles instead of jittering.</summary>
    public double LearningRateAt(int step, int steps) => LogLinearSchedule.At(LearningRate, FinalLearningRate, step, steps);
}
