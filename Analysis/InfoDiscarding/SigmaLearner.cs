using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.InfoDiscarding;

/// <summary>
/// The entropy term E(σ) of the loss (1/δ_f²) E_δ||h(x + σ∘δ) − f||² − λ E(σ), from one batch of
/// perturbed inputs x' [B, ..input], their features h(x') and log σ [1, ..input]. SID's is Σ log σ_i;
/// RU's is ½ Σ_i log E(x_i − g(h(x'))_i)². Constants (the ½ log 2πe per unit) are left out: they do not move σ.
/// </summary>
internal delegate Tensor EntropyTerm(Tensor perturbed, Tensor features, Tensor logSigma);

/// <summary>
/// Learns log σ for one input at a given λ by Adam on the reparameterised loss: each step draws a
/// batch of δ ~ N(0, I), perturbs x' = x + σ∘δ, and differentiates through h. Log σ keeps σ positive
/// and makes the −λ log σ push a constant; after every step log σ is clamped at log(cap). The
/// gradient comes from <c>torch.autograd.grad</c> on log σ alone and Adam is written out here (a
/// dozen lines) because TorchSharp's optimisers read <c>.grad</c>, which <c>backward()</c> would also
/// fill on every parameter of the analysed network: only σ learns. State (σ, Adam's moments) carries
/// over from one λ to the next: the search warm-starts.
/// </summary>
internal sealed class SigmaLearner : IDisposable
{
    private const double Beta1 = 0.9, Beta2 = 0.999, AdamEpsilon = 1e-8;

    private readonly FeatureFunction h;
    private readonly Tensor x, f, logSigma, m, v;
    private readonly double deltaF2, logCap;
    private readonly EntropyTerm entropy;
    private readonly InfoDiscardingOptions options;
    private readonly Generator noise;
    private long t;

    /// <param name="x">One sample with batch dimension 1.</param>
    /// <param name="f">h(x), detached.</param>
    public SigmaLearner(FeatureFunction h, Tensor x, Tensor f, double deltaF2, EntropyTerm entropy, InfoDiscardingOptions options)
    {
        this.h = h;
        this.x = x.detach().clone().DetachFromDisposeScope();
        this.f = f.detach().clone().DetachFromDisposeScope();
        this.deltaF2 = deltaF2;
        this.entropy = entropy;
        this.options = options;
        logCap = Math.Log(options.SigmaCap);
        // σ starts at √τ, the normalising noise: there the ratio is about 1, near the target α.
        logSigma = torch.full(x.shape, 0.5 * Math.Log(options.Tau), dtype: x.dtype, device: x.device).requires_grad_(true).DetachFromDisposeScope();
        m = torch.zeros_like(logSigma).DetachFromDisposeScope();
        v = torch.zeros_like(logSigma).DetachFromDisposeScope();
        noise = new Generator((ulong)options.Seed);
    }

    public int Steps { get; private set; }

    /// <summary>Adam steps at <paramref name="lambda"/>, the learning rate decaying over them.</summary>
    public void Fit(double lambda, int steps, CancellationToken ct)
    {
        var batch = options.NoiseBatch;
        for (var step = 0; step < steps; step++)
        {
            ct.ThrowIfCancellationRequested();
            using var scope = torch.NewDisposeScope();
            var delta = torch.randn([batch, .. x.shape[1..]], dtype: x.dtype, generator: noise).to(x.device);
            var perturbed = x + logSigma.exp() * delta;
            var features = h.Apply(perturbed);
            var deviation = (features - f).pow(2).reshape(batch, -1).sum(1).mean();
            var loss = deviation / deltaF2 - lambda * entropy(perturbed, features, logSigma);
            var value = loss.to_type(ScalarType.Float64).item<double>();
            if (!double.IsFinite(value))
                throw new InvalidOperationException($"σ learning on '{h.Name}': the loss became {value} at λ = {lambda:G4}, step {Steps + 1}; lower learningRate ({options.LearningRate}) or sigmaCap ({options.SigmaCap})");
            var gradient = torch.autograd.grad([loss], [logSigma])[0];
            using (torch.no_grad())
            {
                t++;
                m.mul_(Beta1).add_(gradient, alpha: 1 - Beta1);
                v.mul_(Beta2).addcmul_(gradient, gradient, value: 1 - Beta2);
                var mHat = m / (1 - Math.Pow(Beta1, t));
                var vHat = v / (1 - Math.Pow(Beta2, t));
                logSigma.sub_(mHat / (vHat.sqrt() + AdamEpsilon) * options.LearningRateAt(step, steps));
                logSigma.clamp_(max: logCap);
            }
            Steps++;
        }
    }

    /// <summary>
    /// E||h(x') − f||² / δ_f² at the current σ, from <see cref="InfoDiscardingOptions.EvaluationSamples"/>
    /// draws. Every call uses the same draws (common random numbers), so the ratio the λ search sees is
    /// a deterministic, monotone-in-σ function rather than a noisy one.
    /// </summary>
    public double Ratio()
    {
        using var scope = torch.NewDisposeScope();
        using var generator = new Generator((ulong)(options.Seed ^ 0x5DEECE66DL));
        var sigma = logSigma.detach().exp();
        return FeatureDeviation.Mean(h, x, f, sigma, options.EvaluationSamples, options.Chunk, generator) / deltaF2;
    }

    /// <summary>σ, flattened in the input's row-major order.</summary>
    public float[] Sigma()
    {
        using var scope = torch.NewDisposeScope();
        return logSigma.detach().exp().to_type(ScalarType.Float32).cpu().data<float>().ToArray();
    }

    /// <summary>Which units sit at the cap (within float rounding of log σ).</summary>
    public bool[] Capped()
    {
        using var scope = torch.NewDisposeScope();
        var capped = logSigma.detach().ge(logCap - 1e-5).cpu();
        return capped.data<bool>().ToArray();
    }

    public void Dispose()
    {
        x.Dispose();
        f.Dispose();
        logSigma.Dispose();
        m.Dispose();
        v.Dispose();
        noise.Dispose();
    }
}
