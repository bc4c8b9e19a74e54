using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.LinearProbes;

/// <summary>
/// K probe heads on one split, stacked: θ is [d + 1, K, C] (the last row is the bias, which the features'
/// column of ones multiplies), so one matmul X·θ gives every head's logits. Each head's objective depends
/// only on its own slice of θ, so the heads are K independent problems sharing their passes over the data.
/// Gradients are written out by hand (no autograd): P − Y for both losses.
/// </summary>
internal sealed class StackedProbeHeads(Tensor features, Tensor targets, bool multiLabel) : IDisposable
{
    /// <summary>Rows per matmul: bounds the logits' memory ([chunk, K·C]) without shrinking the GEMMs much.</summary>
    private const int RowChunk = 16384;

    /// <summary>Standardised features with a trailing column of ones, [n, d + 1].</summary>
    public Tensor Features { get; } = features;

    /// <summary>One-hot class rows or 0/1 label sets, [n, C], in the features' dtype.</summary>
    public Tensor Targets { get; } = targets;

    public bool MultiLabel { get; } = multiLabel;

    public long Rows => Features.shape[0];

    /// <summary>
    /// Every head's penalised objective f_k = L_k + (λ_k/2)·‖W_k‖² ([K]) and its gradient ([d + 1, K, C]).
    /// L_k is the mean cross-entropy for classes; for label sets the sum over classes of each class's mean binary
    /// cross-entropy, so each class is its own scikit-learn binary problem with the same λ.
    /// </summary>
    public (Tensor Objective, Tensor Gradient) ObjectiveAndGradient(Tensor theta, Tensor l2)
    {
        var (inputs, heads, classes) = (theta.shape[0], theta.shape[1], theta.shape[2]);
        var flat = theta.reshape(inputs, heads * classes);
        var loss = torch.zeros([heads], theta.dtype, theta.device);
        var gradient = torch.zeros([inputs, heads * classes], theta.dtype, theta.device);
        for (long start = 0; start < Rows; start += RowChunk)
        {
            using var scope = torch.NewDisposeScope();
            var count = Math.Min(RowChunk, Rows - start);
            var x = Features.narrow(0, start, count);
            var y = Targets.narrow(0, start, count).unsqueeze(1);
            var logits = x.mm(flat).view(count, heads, classes);
            Tensor residual;
            if (MultiLabel)
            {
                // softplus(z) − y·z is the binary cross-entropy of logit z; its derivative is sigmoid(z) − y.
                loss.add_(Softplus(logits).sub_(logits * y).sum([0, 2]));
                residual = logits.sigmoid().sub_(y);
            }
            else
            {
                var logSumExp = logits.logsumexp(2, keepdim: true);
                loss.add_(logSumExp.sum([0, 2]).sub_((logits * y).sum([0, 2])));
                residual = logits.sub_(logSumExp).exp_().sub_(y);
            }
            gradient.addmm_(x.t(), residual.view(count, heads * classes));
        }
        var n = (double)Rows;
        var weights = theta.narrow(0, 0, inputs - 1);
        var lambda = l2.view(1, heads, 1);
        var objective = loss.div_(n).add_(weights.square().sum([0, 2]).mul_(l2).mul_(0.5));
        var g = gradient.div_(n).view(inputs, heads, classes);
        g.narrow(0, 0, inputs - 1).add_(weights * lambda);
        return (objective, g);
    }

    /// <summary>
    /// Every head's mean loss as <see cref="ProbeObjective"/> reports it (cross-entropy; for label sets binary
    /// cross-entropy averaged over samples and classes) and its error rate, in float64, [K] each.
    /// </summary>
    public (double[] Loss, double[] Error) LossAndError(Tensor theta)
    {
        using var scope = torch.NewDisposeScope();
        var (inputs, heads, classes) = (theta.shape[0], theta.shape[1], theta.shape[2]);
        var flat = theta.reshape(inputs, heads * classes);
        var loss = torch.zeros([heads], ScalarType.Float64, theta.device);
        var wrong = torch.zeros([heads], ScalarType.Float64, theta.device);
        for (long start = 0; start < Rows; start += RowChunk)
        {
            using var chunk = torch.NewDisposeScope();
            var count = Math.Min(RowChunk, Rows - start);
            var logits = Features.narrow(0, start, count).mm(flat).view(count, heads, classes).to(ScalarType.Float64);
            var y = Targets.narrow(0, start, count).unsqueeze(1).to(ScalarType.Float64);
            if (MultiLabel)
            {
                loss.add_(Softplus(logits).sub_(logits * y).mean([2]).sum([0]));
                wrong.add_(logits.gt(0).ne(y.gt(0.5)).any(2).to(ScalarType.Float64).sum([0]));
            }
            else
            {
                loss.add_(logits.logsumexp(2).sub_((logits * y).sum([2])).sum([0]));
                wrong.add_(logits.argmax(2).ne(y.argmax(2)).to(ScalarType.Float64).sum([0]));
            }
        }
        var n = (double)Rows;
        return (loss.div_(n).data<double>().ToArray(), wrong.div_(n).data<double>().ToArray());
    }

    /// <summary>log(1 + eᶻ) without overflow or the cut-off of torch's softplus (which returns z above 20, off by e⁻²⁰).</summary>
    private static Tensor Softplus(Tensor z) => z.clamp_min(0).add_(z.abs().neg_().exp_().log1p_());

    public void Dispose()
    {
        Features.Dispose();
        Targets.Dispose();
    }
}
