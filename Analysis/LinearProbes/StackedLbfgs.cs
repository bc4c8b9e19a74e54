using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.LinearProbes;

/// <summary>How one head of a <see cref="StackedLbfgs"/> run ended.</summary>
internal readonly record struct HeadOutcome(ProbeStopReason Reason, int Iterations, double GradientNorm, double Objective)
{
    public bool Converged => Reason is ProbeStopReason.GradientTolerance or ProbeStopReason.ObjectiveChange;
}

/// <summary>
/// L-BFGS on K independent objectives at once, θ = [P, K, C] with head k in θ[:, k, :]. Every head has its
/// own curvature history, step length (backtracking Armijo search) and stopping test, so it follows the path
/// it would alone; the heads only share the evaluations, one call for all of them. A head that stops leaves the
/// stack, so the calls narrow as heads converge. (One L-BFGS on the concatenated vector would mix the heads'
/// curvature, whose scales differ by the ratio of their L2 strengths, and could only stop when all had.)
/// </summary>
internal static class StackedLbfgs
{
    private const double ArmijoConstant = 1e-4;
    private const int MaxHalvings = 25; // a step of 3e-8 of the full one: no smaller step resolves a decrease
    private const double CurvatureConstant = 0.9;
    private const double ApproximateWolfeDelta = 0.1;

    /// <summary>The objectives of the active heads and their gradients: (θ [P, Ka, C], index of the heads [Ka]) → (f [Ka], g [P, Ka, C]).</summary>
    public delegate (Tensor Objective, Tensor Gradient) Evaluation(Tensor theta, Tensor heads);

    /// <summary>The initial inverse Hessian M applied to the active heads' q [P, Ka, C] (index of the heads [Ka]); none means the identity.</summary>
    public delegate Tensor Preconditioning(Tensor q, Tensor heads);

    /// <summary>
    /// Told which heads (indices into the stack) just stopped, every stopped head's outcome and the solution so far (the stopped
    /// heads' slices are final), it names the still-active heads to abandon.
    /// </summary>
    public delegate IReadOnlySet<int> Abandonment(IReadOnlyList<int> stoppedHeads, HeadOutcome[] outcomes, Tensor solution);

    /// <summary>Minimises from <paramref name="start"/>; returns the solution [P, K, C] and each head's outcome.</summary>
    public static (Tensor Solution, HeadOutcome[] Outcomes) Minimize(
        Tensor start, Evaluation evaluate, OptimalProbeOptions options, CancellationToken ct,
        Preconditioning? precondition = null, Abandonment? abandon = null)
    {
        var headCount = (int)start.shape[1];
        var outcomes = new HeadOutcome[headCount];
        var solution = start.detach().clone().DetachFromDisposeScope();
        var state = new State(start, evaluate, precondition);
        try
        {
            void Retire(int iteration, double[]? relativeChange, bool[]? descended)
            {
                var stopped = state.Retire(state.Stopped(options, iteration, relativeChange, descended), solution, outcomes);
                if (abandon is null || stopped.Count == 0 || state.Active == 0) return;
                var losing = abandon(stopped, outcomes, solution);
                if (losing.Count > 0) state.Retire(state.Stopped(options, iteration, null, null, losing), solution, outcomes);
            }

            Retire(iteration: 0, relativeChange: null, descended: null);
            for (var iteration = 1; state.Active > 0; iteration++)
            {
                ct.ThrowIfCancellationRequested();
                var (relativeChange, descended) = state.Iterate(evaluate, options.HistorySize);
                Retire(iteration, relativeChange, descended);
            }
            return (solution, outcomes);
        }
        catch
        {
            solution.Dispose();
            throw;
        }
        finally
        {
            state.Dispose();
        }
    }

    /// <summary>The active heads' iterate, objective, gradient and curvature history, outside any dispose scope.</summary>
    private sealed class State : IDisposable
    {
        private readonly List<(Tensor S, Tensor Y, Tensor Rho)> history = [];
        private int[] heads;
        private Tensor index;
        private Tensor theta;
        private Tensor objective;
        private Tensor gradient;
        private Tensor scale; // γ = sᵀy / yᵀMy of the newest pair: the initial inverse Hessian is γ·M, per head
        private readonly Preconditioning? precondition;

        public State(Tensor start, Evaluation evaluate, Preconditioning? precondition)
        {
            this.precondition = precondition;
            heads = Enumerable.Range(0, (int)start.shape[1]).ToArray();
            index = torch.arange(heads.Length, ScalarType.Int64, start.device).DetachFromDisposeScope();
            theta = start.detach().clone().DetachFromDisposeScope();
            using var scope = torch.NewDisposeScope();
            (objective, gradient) = Keep(evaluate(theta, index));
            // No curvature yet: a first step of length at most about one, as scipy's L-BFGS-B takes; with a preconditioner,
            // the step it gives (a Newton step on the model c·Σ + λ·I).
            scale = (precondition is null ? PerHead(gradient, gradient).sqrt_().clamp_min_(1).reciprocal_() : torch.ones_like(objective))
                .DetachFromDisposeScope();
        }

        public int Active => heads.Length;

        /// <summary>One L-BFGS step for every active head; returns each head's relative decrease and whether it moved.</summary>
        public (double[] RelativeChange, bool[] Descended) Iterate(Evaluation evaluate, int historySize)
        {
            using var scope = torch.NewDisposeScope();
            var direction = Direction();
            var slope = PerHead(direction, gradient);
            // Rounding can spoil a direction: fall back to steepest descent there.
            var uphill = slope.ge(0);
            if (uphill.any().item<bool>())
            {
                direction = torch.where(uphill.view(1, -1, 1), (Initial(gradient) * scale.view(1, -1, 1)).neg_(), direction);
                slope = PerHead(direction, gradient);
            }

            // Backtrack each head on its own; after the first trial only the heads still searching are evaluated.
            var step = torch.ones_like(objective);
            var accepted = torch.zeros(objective.shape, ScalarType.Bool, objective.device);
            var next = theta.clone();
            var nextObjective = objective.clone();
            var nextGradient = gradient.clone();
            var pending = torch.arange(heads.Length, ScalarType.Int64, theta.device);
            for (var i = 0; i < MaxHalvings && pending.numel() > 0; i++)
            {
                var (f0, slope0, t, d) = (objective.index_select(0, pending), slope.index_select(0, pending), step.index_select(0, pending), direction.index_select(1, pending));
                var trial = theta.index_select(1, pending).add_(d * t.view(1, -1, 1));
                var (f, g) = evaluate(trial, index.index_select(0, pending));
                // Armijo, strictly lower: at a numerical minimum f + c·t·slope rounds to f, and standing still is no progress.
                var armijo = f.lt(f0).logical_and_(f.le(f0 + ArmijoConstant * t * slope0));
                // Near the optimum f stops resolving the decrease before the gradient meets a tight tolerance: there, take
                // Hager and Zhang's approximate Wolfe step (f no higher than rounding, the slope along d cut down).
                var trialSlope = PerHead(g, d);
                var approximateWolfe = f.le(f0 + RoundingAllowance(f0.dtype) * f0.abs().clamp_min(1))
                    .logical_and_(trialSlope.ge(CurvatureConstant * slope0)).logical_and_(trialSlope.le((2 * ApproximateWolfeDelta - 1) * slope0));
                var ok = f.isfinite().logical_and_(armijo.logical_or_(approximateWolfe));
                var okLocal = ok.nonzero().view(-1);
                var okHeads = pending.index_select(0, okLocal);
                next.index_copy_(1, okHeads, trial.index_select(1, okLocal));
                nextGradient.index_copy_(1, okHeads, g.index_select(1, okLocal));
                nextObjective.index_copy_(0, okHeads, f.index_select(0, okLocal));
                accepted.index_fill_(0, okHeads, true);
                pending = pending.masked_select(ok.logical_not());
                step.index_copy_(0, pending, step.index_select(0, pending).mul_(0.5));
            }

            var s = next - theta;
            var y = nextGradient - gradient;
            var ys = PerHead(y, s);
            var curved = ys.gt(1e-10 * PerHead(s, s).sqrt() * PerHead(y, y).sqrt()); // keep H positive definite
            var rho = torch.where(curved, ys.reciprocal(), torch.zeros_like(ys)); // ρ = 0 makes a pair inert for that head
            var newScale = torch.where(curved, ys / PerHead(y, Initial(y)), scale);
            history.Add((s.DetachFromDisposeScope(), y.DetachFromDisposeScope(), rho.DetachFromDisposeScope()));
            if (history.Count > historySize)
            {
                foreach (var t in new[] { history[0].S, history[0].Y, history[0].Rho }) t.Dispose();
                history.RemoveAt(0);
            }

            var change = (objective - nextObjective) / objective.abs().maximum(nextObjective.abs()).clamp_min(1);
            var result = (change.to(ScalarType.Float64).cpu().data<double>().ToArray(), accepted.cpu().data<bool>().ToArray());
            Replace(ref theta, next);
            Replace(ref objective, nextObjective);
            Replace(ref gradient, nextGradient);
            Replace(ref scale, newScale);
            return result;
        }

        /// <summary>
        /// The local positions of the heads that stop after <paramref name="iteration"/>, with their outcomes; the heads in
        /// <paramref name="abandoned"/> (indices into the stack) stop as abandoned unless they met a test.
        /// </summary>
        public List<(int Local, HeadOutcome Outcome)> Stopped(
            OptimalProbeOptions options, int iteration, double[]? relativeChange, bool[]? descended, IReadOnlySet<int>? abandoned = null)
        {
            using var scope = torch.NewDisposeScope();
            var gradientNorm = gradient.abs().amax([0, 2]).to(ScalarType.Float64).cpu().data<double>().ToArray();
            var values = objective.to(ScalarType.Float64).cpu().data<double>().ToArray();
            var stopped = new List<(int, HeadOutcome)>();
            for (var k = 0; k < heads.Length; k++)
            {
                ProbeStopReason? reason =
                    gradientNorm[k] <= options.GradientTolerance ? ProbeStopReason.GradientTolerance
                    : descended is not null && !descended[k] ? ProbeStopReason.NoDescent
                    : relativeChange is not null && options.ObjectiveTolerance > 0 && relativeChange[k] <= options.ObjectiveTolerance ? ProbeStopReason.ObjectiveChange
                    : iteration >= options.MaxIterations ? ProbeStopReason.IterationLimit
                    : abandoned is not null && abandoned.Contains(heads[k]) ? ProbeStopReason.Abandoned
                    : null;
                if (reason is { } r) stopped.Add((k, new HeadOutcome(r, iteration, gradientNorm[k], values[k])));
            }
            return stopped;
        }

        /// <summary>
        /// Copies the stopped heads into <paramref name="solution"/> and drops them, with their history, from the stack;
        /// returns their indices into the stack.
        /// </summary>
        public IReadOnlyList<int> Retire(List<(int Local, HeadOutcome Outcome)> stopped, Tensor solution, HeadOutcome[] outcomes)
        {
            if (stopped.Count == 0) return [];
            var retired = stopped.Select(s => heads[s.Local]).ToArray();
            using var scope = torch.NewDisposeScope();
            using (torch.no_grad())
                foreach (var (local, outcome) in stopped)
                {
                    outcomes[heads[local]] = outcome;
                    solution.narrow(1, heads[local], 1).copy_(theta.narrow(1, local, 1));
                }
            var keep = Enumerable.Range(0, heads.Length).Except(stopped.Select(s => s.Local)).ToArray();
            heads = keep.Select(k => heads[k]).ToArray();
            var kept = torch.tensor(keep.Select(k => (long)k).ToArray(), device: theta.device);
            Tensor Select(Tensor t, int dim) => t.index_select(dim, kept);
            Replace(ref index, Select(index, 0));
            Replace(ref theta, Select(theta, 1));
            Replace(ref objective, Select(objective, 0));
            Replace(ref gradient, Select(gradient, 1));
            Replace(ref scale, Select(scale, 0));
            for (var i = 0; i < history.Count; i++)
            {
                var (s, y, rho) = history[i];
                history[i] = (Select(s, 1).DetachFromDisposeScope(), Select(y, 1).DetachFromDisposeScope(), Select(rho, 0).DetachFromDisposeScope());
                s.Dispose();
                y.Dispose();
                rho.Dispose();
            }
            return retired;
        }

        public void Dispose()
        {
            foreach (var (s, y, rho) in history) { s.Dispose(); y.Dispose(); rho.Dispose(); }
            history.Clear();
            foreach (var t in new[] { index, theta, objective, gradient, scale }) t.Dispose();
        }

        /// <summary>−H·g by the two-loop recursion, every head with its own pairs and scale.</summary>
        private Tensor Direction()
        {
            var q = gradient.neg();
            var alphas = new Tensor[history.Count];
            for (var i = history.Count - 1; i >= 0; i--)
            {
                alphas[i] = history[i].Rho * PerHead(history[i].S, q);
                q.sub_(history[i].Y * alphas[i].view(1, -1, 1));
            }
            q = Initial(q).mul_(scale.view(1, -1, 1));
            for (var i = 0; i < history.Count; i++)
            {
                var beta = history[i].Rho * PerHead(history[i].Y, q);
                q.add_(history[i].S * (alphas[i] - beta).view(1, -1, 1));
            }
            return q;
        }

        /// <summary>M·q: the preconditioner's, or q itself.</summary>
        private Tensor Initial(Tensor q) => precondition is null ? q : precondition(q, index);

        /// <summary>How far above f an approximate-Wolfe step may land: summing n per-sample losses errs by more than one ulp.</summary>
        private static double RoundingAllowance(ScalarType dtype) => dtype == ScalarType.Float64 ? 1e-10 : 1e-5;

        private static Tensor PerHead(Tensor a, Tensor b) => (a * b).sum([0, 2]);

        private static (Tensor, Tensor) Keep((Tensor A, Tensor B) pair) => (pair.A.DetachFromDisposeScope(), pair.B.DetachFromDisposeScope());

        private static void Replace(ref Tensor field, Tensor value)
        {
            if (ReferenceEquals(field, value)) return;
            var old = field;
            field = value.DetachFromDisposeScope();
            old.Dispose();
        }
    }
}
