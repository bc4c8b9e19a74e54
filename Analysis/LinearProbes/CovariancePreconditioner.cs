using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.LinearProbes;

/// <summary>
/// The initial inverse Hessian L-BFGS starts each step from, per head: (c·Σ + λ_k·I)⁻¹ on the weights and 1/c on
/// the bias, where Σ = XᵀX/n is the standardised training features' correlation matrix and c the loss's curvature
/// at the start (1/C for a softmax over C classes at uniform probabilities, 1/4 for a sigmoid at zero). The probe's
/// Hessian is about c·Σ + λ·I, so its condition number is what makes unpreconditioned L-BFGS take hundreds of steps on
/// correlated features at small λ; with this start L-BFGS only has to learn how the loss's curvature departs from c.
/// It changes the path, not the problem: the stopping test is on the true gradient.
/// </summary>
internal sealed class CovariancePreconditioner : IDisposable
{
    private readonly Tensor basis;      // U [d, d]: Σ's eigenvectors
    private readonly Tensor spectrum;   // c·s [d]: Σ's eigenvalues times the curvature
    private readonly Tensor l2;         // λ per head [K]
    private readonly double curvature;

    /// <param name="features">standardised training features with the trailing column of ones, [n, d + 1].</param>
    public CovariancePreconditioner(Tensor features, Tensor l2, double curvature)
    {
        using var scope = torch.NewDisposeScope();
        var d = features.shape[1] - 1;
        var x = features.narrow(1, 0, d).to(ScalarType.Float64);
        var correlation = x.t().mm(x).div_(features.shape[0]);
        var (values, vectors) = torch.linalg.eigh(correlation);
        basis = vectors.to(features.dtype).DetachFromDisposeScope();
        spectrum = values.clamp_min_(0).mul_(curvature).to(features.dtype).DetachFromDisposeScope();
        this.l2 = l2.clone().DetachFromDisposeScope();
        this.curvature = curvature;
    }

    /// <summary>M_k·q for the heads <paramref name="heads"/> (indices into the λ grid): q is [d + 1, Ka, C].</summary>
    public Tensor Apply(Tensor q, Tensor heads)
    {
        var (inputs, active, classes) = (q.shape[0], q.shape[1], q.shape[2]);
        var d = inputs - 1;
        var weights = q.narrow(0, 0, d).reshape(d, active * classes);
        var rotated = basis.t().mm(weights).view(d, active, classes);
        var inverse = spectrum.view(d, 1, 1).add(l2.index_select(0, heads).view(1, active, 1)).reciprocal_();
        var scaled = basis.mm(rotated.mul_(inverse).view(d, active * classes)).view(d, active, classes);
        return torch.cat([scaled, q.narrow(0, d, 1).div(curvature)], 0);
    }

    public void Dispose()
    {
        basis.Dispose();
        spectrum.Dispose();
        l2.Dispose();
    }
}
