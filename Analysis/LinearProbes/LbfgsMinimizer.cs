using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.LinearProbes;

/// <summary>
/// Limited-memory BFGS on one flat parameter vector, with a backtracking (Armijo) line search.
/// Written here because TorchSharp's LBFGS has no line search, and a full step can diverge on
/// an ill-conditioned probe. Keeps its curvature history between calls to <see cref="Step"/>;
/// call <see cref="Reset"/> when the objective changes. Works in the dtype of the parameter vector
/// (float32 for probes): scalars are read with <c>ToDouble()</c>, which converts, not <c>item&lt;double&gt;()</c>, which throws.
/// </summary>
internal sealed class LbfgsMinimizer(int historySize = 10) : IDisposable
{
    private const double ArmijoConstant = 1e-4;
    private const int MaxHalvings = 30;

    private readonly LinkedList<(Tensor S, Tensor Y, double Rho)> history = new();
    private Tensor? gradient;
    private double loss;

    /// <summary>
    /// One iteration from <paramref name="theta"/> (a 1-D leaf tensor with requires_grad), which is
    /// updated in place. Returns false when no step lowers the objective: a (numerical) minimum.
    /// </summary>
    public bool Step(Tensor theta, Func<Tensor, Tensor> objective)
    {
        if (gradient is null) (loss, gradient) = Evaluate(theta, objective);

        using var scope = torch.NewDisposeScope();
        var direction = Direction(gradient);
        var slope = direction.dot(gradient).ToDouble();
        if (!(slope < 0))
        {
            ClearHistory();
            direction = gradient.neg();
            slope = -gradient.dot(gradient).ToDouble();
            if (slope == 0) return false;
        }

        // The first step has no curvature information: scale it so it moves at most about one unit.
        var step = history.Count == 0 ? Math.Min(1.0, 1.0 / gradient.abs().sum().ToDouble()) : 1.0;
        var start = theta.detach().clone();
        for (var i = 0; i < MaxHalvings; i++, step /= 2)
        {
            using (torch.no_grad()) theta.copy_(start + step * direction);
            var (candidateLoss, candidateGradient) = Evaluate(theta, objective);
            // Strictly lower: at a numerical minimum loss + c·step·slope rounds to loss, and a step that
            // changes nothing must not count as progress.
            if (double.IsFinite(candidateLoss) && candidateLoss < loss && candidateLoss <= loss + ArmijoConstant * step * slope)
            {
                Remember(step * direction, candidateGradient - gradient);
                gradient.Dispose();
                gradient = candidateGradient;
                loss = candidateLoss;
                return true;
            }
            candidateGradient.Dispose();
        }
        using (torch.no_grad()) theta.copy_(start);
        return false;
    }

    public void Reset()
    {
        ClearHistory();
        gradient?.Dispose();
        gradient = null;
    }

    public void Dispose() => Reset();

    private static (double Loss, Tensor Gradient) Evaluate(Tensor theta, Func<Tensor, Tensor> objective)
    {
        using var scope = torch.NewDisposeScope();
        theta.grad?.zero_();
        var value = objective(theta);
        value.backward();
        var g = theta.grad!.detach().clone().DetachFromDisposeScope();
        return (value.ToDouble(), g);
    }

    /// <summary>−H·g by the two-loop recursion over the stored (s, y) pairs.</summary>
    private Tensor Direction(Tensor g)
    {
        var q = g.neg();
        var alphas = new Stack<double>();
        for (var node = history.Last; node is not null; node = node.Previous)
        {
            var alpha = node.Value.Rho * node.Value.S.dot(q).ToDouble();
            alphas.Push(alpha);
            q.add_(node.Value.Y, alpha: -alpha);
        }
        if (history.Last is { } newest)
            q.mul_(1.0 / (newest.Value.Rho * newest.Value.Y.dot(newest.Value.Y).ToDouble()));
        for (var node = history.First; node is not null; node = node.Next)
        {
            var beta = node.Value.Rho * node.Value.Y.dot(q).ToDouble();
            q.add_(node.Value.S, alpha: alphas.Pop() - beta);
        }
        return q;
    }

    private void Remember(Tensor s, Tensor y)
    {
        var ys = y.dot(s).ToDouble();
        if (!(ys > 1e-10)) return; // no positive curvature along s: skip to keep H positive definite
        history.AddLast((s.detach().clone().DetachFromDisposeScope(), y.detach().clone().DetachFromDisposeScope(), 1.0 / ys));
        if (history.Count <= historySize) return;
        var (oldS, oldY, _) = history.First!.Value;
        oldS.Dispose();
        oldY.Dispose();
        history.RemoveFirst();
    }

    private void ClearHistory()
    {
        foreach (var (s, y, _) in history)
        {
            s.Dispose();
            y.Dispose();
        }
        history.Clear();
    }
}
