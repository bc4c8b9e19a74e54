using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.InfoDiscarding;

/// <summary>
/// Reconstruction uncertainty (RU, the paper's Eq. 8–12): how well a decoder g, trained with MSE to
/// invert the layer, recovers each input unit from the feature of a perturbed input.
/// Ĥ_i = ½ log E_δ(x_i − x̂'_i)² + ½ log(2πe) with x̂' = g(h(x + σ∘δ)) (the paper's μ^rec = x).
/// <see cref="Estimate"/> learns σ as METHODS.md and the paper's Eq. 12 say: the SID loss and
/// constraint with Ĥ in place of H, i.e. (1/δ_f²) E||h(x') − f||² − (λ/2) Σ_i log E(x_i − x̂'_i)², the
/// inner expectation a batch mean of the step's draws. <see cref="AtSigma"/> measures Ĥ at a σ
/// learned elsewhere (e.g. SID's), for comparing the two metrics on one noise.
/// </summary>
public static class ReconstructionUncertainty
{
    // Keeps log E(x_i − x̂_i)² finite for a unit reconstructed exactly in one batch.
    private const double LogFloor = 1e-12;

    /// <param name="decoder">g: a batch of features [B, ..feature] to reconstructions [B, ..input]; deterministic (eval mode).</param>
    /// <exception cref="ArgumentException">Bad options, input or decoder output shape, all listed.</exception>
    public static RuResult Estimate(FeatureFunction h, Func<Tensor, Tensor> decoder, Tensor x, InfoDiscardingOptions options, CancellationToken ct) =>
        Run(h, decoder, x, options, null, ct);

    /// <summary>RU with σ learned at a given λ, no search.</summary>
    public static RuResult EstimateAtLambda(FeatureFunction h, Func<Tensor, Tensor> decoder, Tensor x, double lambda, InfoDiscardingOptions options, CancellationToken ct) =>
        Run(h, decoder, x, options, lambda, ct);

    /// <summary>Ĥ at a given σ (row-major, one per input unit), from <see cref="InfoDiscardingOptions.EvaluationSamples"/> draws.</summary>
    public static RuResult AtSigma(FeatureFunction h, Func<Tensor, Tensor> decoder, Tensor x, IReadOnlyList<float> sigma, InfoDiscardingOptions options)
    {
        var problems = options.Validate().Concat(InputChecks.Problems(x)).ToList();
        if (sigma is null) problems.Add("σ is null: give one noise scale per input unit");
        else
        {
            if (x is not null && sigma.Count != x.numel()) problems.Add($"σ has {sigma.Count} values, x has {x.numel()} units: give one σ per input unit");
            if (sigma.Any(s => !(s > 0 && float.IsFinite(s)))) problems.Add("σ must be positive numbers");
        }
        if (problems.Count > 0 || x is null || sigma is null) throw new ArgumentException("RU: " + string.Join("; ", problems));
        CheckDecoder(h, decoder, x);

        using var scope = torch.NewDisposeScope();
        var batch = x.detach().unsqueeze(0);
        var f = InputChecks.FeatureOf(h, batch);
        var deltaF2 = NormalisingVariance.Estimate(h, x.detach(), options.Tau, options.NormalisingSamples, options.Seed + 1, options.Chunk);
        var sigmaTensor = torch.tensor(sigma.ToArray(), batch.shape, device: x.device).to_type(x.dtype);
        using var ratioDraws = new Generator((ulong)(options.Seed ^ 0x5DEECE66DL));
        var ratio = FeatureDeviation.Mean(h, batch, f, sigmaTensor, options.EvaluationSamples, options.Chunk, ratioDraws) / deltaF2;
        var logCap = Math.Log(options.SigmaCap);
        var capped = sigma.Select(s => Math.Log(s) >= logCap - 1e-5).ToArray();
        return Measure(h, decoder, batch, sigmaTensor, options, sigma.ToArray(), deltaF2, double.NaN, ratio, true, 0, 0, capped);
    }

    /// <summary>RU's entropy term ½ Σ_i log mean_b (x_i − g(h(x'_b))_i)², the constant left out.</summary>
    internal static EntropyTerm EntropyTerm(Tensor x, Func<Tensor, Tensor> decoder) => (perturbed, features, logSigma) =>
    {
        var reconstruction = decoder(features);
        return (reconstruction - x).pow(2).mean([0]).add(LogFloor).log().sum() * 0.5;
    };

    private static RuResult Run(FeatureFunction h, Func<Tensor, Tensor> decoder, Tensor x, InfoDiscardingOptions options, double? lambda, CancellationToken ct)
    {
        if (InputChecks.Problems(x).Count == 0 && options.Validate().Count == 0)
            CheckDecoder(h, decoder, x);
        using var scope = torch.NewDisposeScope();
        var batch = x.detach().unsqueeze(0);
        var s = ConstrainedSigma.Learn(h, x, options, EntropyTerm(batch, decoder), lambda, "RU", ct);
        var sigmaTensor = torch.tensor(s.Sigma, batch.shape, device: x.device).to_type(x.dtype);
        return Measure(h, decoder, batch, sigmaTensor, options, s.Sigma, s.DeltaF2, s.Lambda, s.Ratio, s.Converged, s.Rounds, s.Steps, s.Capped);
    }

    private static RuResult Measure(FeatureFunction h, Func<Tensor, Tensor> decoder, Tensor batch, Tensor sigma, InfoDiscardingOptions options,
        float[] sigmaValues, double deltaF2, double lambda, double ratio, bool converged, int rounds, int steps, bool[] capped)
    {
        using var noGrad = torch.no_grad();
        using var generator = new Generator((ulong)(options.Seed + 2));
        using var sum = torch.zeros(batch.shape[1..], dtype: ScalarType.Float64, device: batch.device);
        for (var start = 0; start < options.EvaluationSamples; start += options.Chunk)
        {
            using var scope = torch.NewDisposeScope();
            var count = Math.Min(options.Chunk, options.EvaluationSamples - start);
            var delta = torch.randn([count, .. batch.shape[1..]], dtype: batch.dtype, generator: generator).to(batch.device);
            var reconstruction = decoder(h.Apply(batch + sigma * delta));
            sum.add_((reconstruction - batch).pow(2).to_type(ScalarType.Float64).sum([0]));
        }
        var meanSquare = sum.div(options.EvaluationSamples).cpu().data<double>().ToArray();
        var pixel = GaussianEntropy.OfMeanSquare(meanSquare);
        return new RuResult(batch.shape[1..].ToArray(), sigmaValues, pixel, pixel.Sum(), deltaF2, lambda, ratio, converged, rounds, steps, capped, options.SigmaCap);
    }

    private static void CheckDecoder(FeatureFunction h, Func<Tensor, Tensor> decoder, Tensor x)
    {
        if (decoder is null) throw new ArgumentException("RU: decoder is null: give g, a function from a batch of features to reconstructed inputs.", nameof(decoder));
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var batch = x.detach().unsqueeze(0);
        var reconstruction = decoder(InputChecks.FeatureOf(h, batch));
        if (!reconstruction.shape.SequenceEqual(batch.shape))
            throw new ArgumentException($"RU: the decoder returned shape [{string.Join(", ", reconstruction.shape)}] for one sample, not the input's [{string.Join(", ", batch.shape)}]: " +
                                        "g must map a batch of features back to the input's shape.", nameof(decoder));
    }
}
