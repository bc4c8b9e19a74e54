using TorchSharp;

namespace ProbeGrid.Analysis.Cka;

/// <summary>
/// HSIC between two centred layers with the linear kernel, from four feature-space quantities: ⟨K, L⟩, the kernels'
/// diagonals a = diag K and b = diag L, and their sums. With centred features K 1 = 0, so Song et al.'s terms
/// reduce to tr(K̃ L̃) = ⟨K, L⟩ − a·b, 1ᵀK̃1 = −Σa and 1ᵀK̃L̃1 = a·b (K̃: K with its diagonal zeroed); HSIC_1 is
/// unchanged by centring, which is what lets every batch be centred on its own.
/// </summary>
internal static class Hsic
{
    public static double Estimate(CenteredLayer x, CenteredLayer y, HsicEstimator estimator)
    {
        var inner = ReferenceEquals(x, y) ? x.SelfInnerProduct : x.InnerProduct(y);
        return Estimate(x, y, inner, estimator);
    }

    private static double Estimate(CenteredLayer x, CenteredLayer y, double inner, HsicEstimator estimator)
    {
        double n = x.Samples;
        if (estimator == HsicEstimator.Biased) return inner / ((n - 1) * (n - 1));
        double diagonals;
        using (torch.NewDisposeScope()) diagonals = torch.dot(x.RowSquaredNorms, y.RowSquaredNorms).item<double>();
        // Song et al. 2012 eq. 5: [tr(K̃L̃) + 1ᵀK̃1·1ᵀL̃1/((n−1)(n−2)) − 2/(n−2)·1ᵀK̃L̃1] / (n(n−3)).
        var sum = inner - n / (n - 2) * diagonals + x.SquaredNorm * y.SquaredNorm / ((n - 1) * (n - 2));
        return sum / (n * (n - 3));
    }

    /// <summary>Fewest samples a batch needs: n − 1 and n − 3 divide above.</summary>
    public static int FewestSamples(HsicEstimator estimator) => estimator == HsicEstimator.Biased ? 2 : 4;
}
