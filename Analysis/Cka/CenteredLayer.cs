using ProbeGrid.Analysis.Activations;
using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.Cka;

/// <summary>
/// One layer's features for one batch of n samples, column-centred in float64 on a device, kept in whichever form
/// makes ⟨K, L⟩ = tr(K L) (K = Xc Xcᵀ, the centred linear kernel) cheapest: the features themselves when the layer
/// has p ≤ n features (p x p products, never n x n), else the n x n Gram Xc Xcᵀ (n² memory instead of n·p).
/// Float64 because CKA near 1 is read to four digits and ||Yᵀ X||² sums n·p₁·p₂ products of activations whose
/// means (after ReLU) dwarf their spread; float32 loses those digits after centring.
/// The tensors belong to the caller's dispose scope; building one frees its own temporaries.
/// </summary>
internal sealed class CenteredLayer
{
    private readonly Tensor? features;
    private readonly Tensor? gram;

    private CenteredLayer(Tensor? features, Tensor? gram, Tensor rowSquaredNorms, int samples)
    {
        (this.features, this.gram, RowSquaredNorms, Samples) = (features, gram, rowSquaredNorms, samples);
        SquaredNorm = rowSquaredNorms.sum().item<double>();
        SelfInnerProduct = InnerProduct(this);
    }

    public int Samples { get; }

    /// <summary>||xᵢ − x̄||² per sample: the diagonal of K, which the debiased estimator removes.</summary>
    public Tensor RowSquaredNorms { get; }

    /// <summary>Σᵢ ||xᵢ − x̄||² = tr(K).</summary>
    public double SquaredNorm { get; }

    /// <summary>⟨K, K⟩ = ||Xcᵀ Xc||²_F.</summary>
    public double SelfInnerProduct { get; }

    /// <summary>Rows [firstRow, firstRow + rows) of <paramref name="matrix"/>, centred over those rows.</summary>
    public static CenteredLayer From(FeatureMatrix matrix, int firstRow, int rows, Device device)
    {
        var p = matrix.Columns;
        var whole = firstRow == 0 && rows == matrix.Rows;
        var values = whole ? matrix.Data : matrix.Data.AsSpan(firstRow * p, rows * p).ToArray();
        Tensor? features = null, gram = null;
        Tensor norms;
        using (var scope = torch.NewDisposeScope())
        {
            var x = torch.tensor(values, [rows, p], device: device).to_type(ScalarType.Float64);
            x = x.sub(x.mean([0], keepdim: true));
            norms = x.square().sum(1).MoveToOuterDisposeScope();
            if (p <= rows) features = x.MoveToOuterDisposeScope();
            else gram = x.matmul(x.t()).MoveToOuterDisposeScope();
        }
        return new CenteredLayer(features, gram, norms, rows);
    }

    /// <summary>⟨K, L⟩ = tr(K L) = ||Ycᵀ Xc||²_F between this layer and another over the same samples.</summary>
    public double InnerProduct(CenteredLayer other)
    {
        using var scope = torch.NewDisposeScope();
        if (features is not null && other.features is not null)
            return other.features.t().matmul(features).square().sum().item<double>();
        if (gram is not null && other.gram is not null)
            return torch.dot(gram.reshape(-1), other.gram.reshape(-1)).item<double>();
        // One of each: ⟨Xc Xcᵀ, L⟩ = Σ (L Xc) ∘ Xc costs n²·p with p ≤ n, and builds no second Gram.
        var (x, l) = features is not null ? (features, other.gram!) : (other.features!, gram!);
        return l.matmul(x).mul(x).sum().item<double>();
    }
}
