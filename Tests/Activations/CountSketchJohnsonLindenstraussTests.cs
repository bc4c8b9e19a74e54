using ProbeGrid.Analysis.Activations;
using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Tests.Activations;

/// <summary>
/// The sketch keeps squared norms and inner products as Johnson–Lindenstrauss says, at width
/// D = 4096 → k = 512. For x uniform on the unit sphere and a fixed sketch P with M = PᵀP:
/// E[‖Px‖²] = tr(M)/D = 1 exactly (one ±1 per column), and
/// Var[‖Px‖²] = 2/(D(D+2))·(tr(M²) − tr(M)²/D) ≈ 2(D−1)/(k(D+2)) ≈ 2/k (tr(M²) = Σ_b n_b², n_b the
/// bucket sizes, about D + D(D−1)/k); so sd ≈ 0.0625 and E|‖Px‖² − 1| ≈ sd·√(2/π) ≈ 0.0499.
/// For inner products of independent unit vectors, Var[⟨Px,Py⟩ − ⟨x,y⟩] ≈ (1 + ⟨x,y⟩²)/k ≈ 1/k.
/// </summary>
public class CountSketchJohnsonLindenstraussTests
{
    private const int Width = 4096, Dims = 512, Vectors = 2000;

    private static Tensor UnitRows(ulong seed)
    {
        using var generator = new Generator(seed);
        var x = torch.randn([Vectors, Width], generator: generator);
        return x / x.norm(1, keepdim: true);
    }

    private static Tensor Sketch(Tensor rows)
    {
        using var reducer = new ActivationReducer(Reduction.Parse(Reduction.SparseProjection, Dims, 21), CPU);
        return reducer.Reduce("layer", rows);
    }

    [Fact]
    public void Squared_norms_of_random_unit_vectors_are_unbiased_with_the_variance_of_the_theory()
    {
        using var scope = torch.NewDisposeScope();
        var ratio = Sketch(UnitRows(5)).square().sum(1).to(ScalarType.Float64);
        var sd = Math.Sqrt(2.0 * (Width - 1) / (Dims * (Width + 2.0)));

        // Mean: 4 standard errors of a mean over 2000 vectors (0.0056); a sketch scaled by c is off by c² − 1.
        Assert.InRange(ratio.mean().item<double>(), 1 - 4 * sd / Math.Sqrt(Vectors), 1 + 4 * sd / Math.Sqrt(Vectors));
        Assert.InRange(ratio.std().item<double>(), 0.85 * sd, 1.15 * sd);
        Assert.InRange((ratio - 1).abs().mean().item<double>(), 0.85 * sd * Math.Sqrt(2 / Math.PI), 1.15 * sd * Math.Sqrt(2 / Math.PI));
    }

    [Fact]
    public void Squared_norms_of_nonnegative_vectors_stay_unbiased_because_of_the_signs()
    {
        using var scope = torch.NewDisposeScope();
        // Like ReLU outputs. Without signs, colliding coordinates would add E[x_i x_j] ≈ (2/π)/D for
        // each of the ≈ D²/k ordered pairs: a mean near 1 + (2/π)·D/k ≈ 6. With signs that term is a
        // zero-mean sum whose sd is about 2·√(D²/2k)·(2/π)/D ≈ 0.04 for a given sketch.
        var ratio = Sketch(UnitRows(6).abs()).square().sum(1);

        Assert.InRange(ratio.mean().item<float>(), 0.8f, 1.2f);
    }

    [Fact]
    public void Inner_products_of_random_unit_vectors_are_kept_within_the_theory()
    {
        using var scope = torch.NewDisposeScope();
        var x = UnitRows(7);
        var y = UnitRows(8);
        var sx = Sketch(x);
        var sy = Sketch(y);
        var error = ((sx * sy).sum(1) - (x * y).sum(1)).to(ScalarType.Float64);
        var sd = Math.Sqrt(1.0 / Dims);

        Assert.InRange(error.mean().item<double>(), -4 * sd / Math.Sqrt(Vectors), 4 * sd / Math.Sqrt(Vectors));
        Assert.InRange(error.std().item<double>(), 0.85 * sd, 1.15 * sd);
    }
}
