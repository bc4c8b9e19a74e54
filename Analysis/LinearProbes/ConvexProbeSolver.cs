using ProbeGrid.Analysis.Activations;
using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.LinearProbes;

/// <summary>
/// Solves one layer's linear probe to the optimum of its convex problem. Features are standardised with the
/// training split's statistics; for each λ of the L2 grid the objective is
/// <c>f(W, b) = mean loss + (λ/2)·‖W‖²</c> (b unpenalised): for classes the mean softmax cross-entropy, exactly
/// scikit-learn's multinomial <c>LogisticRegression(C = 1/(n·λ))</c>; for label sets the sum over classes of each
/// class's mean binary cross-entropy, so each class is scikit-learn's binary problem with the same C. All λ train
/// together, one matmul per iteration against the stacked heads (<see cref="StackedProbeHeads"/>), each head by its
/// own L-BFGS (<see cref="StackedLbfgs"/>) until its gradient or objective change meets the tolerance; the head with
/// the lowest validation loss is reported (ties go to the larger λ, the simpler probe).
/// </summary>
public static class ConvexProbeSolver
{
    /// <summary>Validation losses this close (relative) count as a tie.</summary>
    private const double TieTolerance = 1e-12;

    /// <exception cref="ArgumentException">bad options, or features and targets that do not match.</exception>
    public static OptimalProbeResult Solve(
        LayerFeatures layer,
        ProbeTargets train,
        ProbeTargets validation,
        ProbeTargets test,
        int classCount,
        OptimalProbeOptions options,
        ProbeWeights? warmStart = null,
        CancellationToken ct = default,
        Device? device = null) =>
        Solve(layer, train, validation, test, classCount, options, warmStart, ct, device, observeHeads: null);

    /// <summary>As the public overload; <paramref name="observeHeads"/> sees every head's θ (W row-major, then b) in the grid's order.</summary>
    internal static OptimalProbeResult Solve(
        LayerFeatures layer,
        ProbeTargets train,
        ProbeTargets validation,
        ProbeTargets test,
        int classCount,
        OptimalProbeOptions options,
        ProbeWeights? warmStart,
        CancellationToken ct,
        Device? device,
        Action<double[][]>? observeHeads)
    {
        CheckInputs(layer, train, validation, test, classCount, options);
        device ??= CPU;
        var dtype = options.DoublePrecision ? ScalarType.Float64 : ScalarType.Float32;
        var multiLabel = train.IsMultiLabel;
        var standardization = FeatureStandardization.Of(layer.Train);
        var grid = options.L2Grid.ToArray();
        var warm = warmStart is not null && warmStart.Inputs == layer.Dimensions && warmStart.Classes == classCount;

        StackedProbeHeads Split(FeatureMatrix features, ProbeTargets targets) => new(
            standardization.StandardisedWithBiasColumn(features, dtype, device),
            torch.tensor(targets.Rows(classCount), [targets.Count, classCount], device: device).to(dtype).DetachFromDisposeScope(),
            multiLabel);

        using var scope = torch.NewDisposeScope();
        using var trainHeads = Split(layer.Train, train);
        using var validationHeads = Split(layer.Validation, validation);
        using var testHeads = Split(layer.Test, test);
        var l2 = torch.tensor(grid, device: device).to(dtype);
        var start = StartingPoint(warm ? warmStart : null, layer.Dimensions, grid.Length, classCount, dtype, device);

        using var preconditioner = options.Preconditioned
            ? new CovariancePreconditioner(trainHeads.Features, l2, curvature: multiLabel ? 0.25 : 1.0 / classCount)
            : null;
        var validated = new Dictionary<int, double>(); // converged heads' validation losses, as they stop
        var done = new HashSet<int>();
        IReadOnlySet<int> Abandon(IReadOnlyList<int> stopped, HeadOutcome[] outcomes, Tensor solution)
        {
            done.UnionWith(stopped);
            foreach (var k in stopped.Where(k => outcomes[k].Converged))
                validated[k] = validationHeads.LossAndError(solution.narrow(1, k, 1)).Loss[0];
            var losing = Losing(grid, validated, Enumerable.Range(0, grid.Length).Where(k => !done.Contains(k)));
            done.UnionWith(losing);
            return losing;
        }
        var (solution, outcomes) = StackedLbfgs.Minimize(
            start, (theta, heads) => trainHeads.ObjectiveAndGradient(theta, l2.index_select(0, heads)), options, ct,
            preconditioner is null ? null : preconditioner.Apply, options.AbandonLosingStrengths ? Abandon : null);
        using (solution)
        {
            // The softmax is blind to a common shift of the logits: centre b so the answer is unique.
            if (!multiLabel) solution.narrow(0, layer.Dimensions, 1).sub_(solution.narrow(0, layer.Dimensions, 1).mean([2], keepdim: true));
            if (observeHeads is not null)
            {
                using var all = solution.permute(1, 0, 2).to(ScalarType.Float64).cpu().contiguous();
                var flat = all.data<double>().ToArray();
                var size = (layer.Dimensions + 1) * classCount;
                observeHeads(Enumerable.Range(0, grid.Length).Select(k => flat[(k * size)..((k + 1) * size)]).ToArray());
            }
            var (trainLoss, trainError) = trainHeads.LossAndError(solution);
            var (validationLoss, validationError) = validationHeads.LossAndError(solution);
            var candidates = grid.Select((lambda, k) => new L2Candidate(lambda, outcomes[k].Reason, outcomes[k].Iterations,
                outcomes[k].GradientNorm, outcomes[k].Objective, trainLoss[k], validationLoss[k], validationError[k])).ToList();
            var eligible = candidates.Where(c => c.StopReason != ProbeStopReason.Abandoned).ToList();
            var chosen = candidates.IndexOf(eligible[Choose(eligible)]);
            var (testLoss, testError) = testHeads.LossAndError(solution.narrow(1, chosen, 1));
            using var head = solution.select(1, chosen).to(ScalarType.Float64).cpu().contiguous();
            var values = head.data<double>().ToArray();
            var weightCount = layer.Dimensions * classCount;
            return new OptimalProbeResult
            {
                Tap = layer.Tap,
                Standardization = standardization,
                Weights = values[..weightCount],
                Bias = values[weightCount..],
                MultiLabel = multiLabel,
                L2 = grid[chosen],
                StopReason = outcomes[chosen].Reason,
                Iterations = outcomes[chosen].Iterations,
                GradientNorm = outcomes[chosen].GradientNorm,
                Objective = outcomes[chosen].Objective,
                TrainLoss = trainLoss[chosen],
                TrainError = trainError[chosen],
                ValidationLoss = validationLoss[chosen],
                ValidationError = validationError[chosen],
                TestLoss = testLoss[0],
                TestError = testError[0],
                Candidates = candidates,
                WarmStarted = warm,
            };
        }
    }

    /// <summary>The lowest validation loss; among ties the largest λ.</summary>
    internal static int Choose(IReadOnlyList<L2Candidate> candidates)
    {
        var best = candidates.Min(c => c.ValidationLoss);
        var tied = Enumerable.Range(0, candidates.Count)
            .Where(k => candidates[k].ValidationLoss <= best + TieTolerance * Math.Max(Math.Abs(best), 1));
        return tied.MaxBy(k => candidates[k].L2);
    }

    /// <summary>
    /// The active heads that cannot be chosen, if validation loss is unimodal in λ: those beyond a converged head that validates
    /// worse than the best converged head, on the far side from it.
    /// </summary>
    internal static IReadOnlySet<int> Losing(IReadOnlyList<double> grid, IReadOnlyDictionary<int, double> validated, IEnumerable<int> active)
    {
        if (validated.Count < 2) return new HashSet<int>();
        var best = validated.Min(v => v.Value);
        var bestL2 = validated.Where(v => v.Value <= best + TieTolerance * Math.Max(Math.Abs(best), 1)).Max(v => grid[v.Key]);
        var worse = validated.Where(v => v.Value > best + TieTolerance * Math.Max(Math.Abs(best), 1)).Select(v => grid[v.Key]).ToList();
        return active.Where(a => worse.Any(w => (w < bestL2 && grid[a] < w) || (w > bestL2 && grid[a] > w))).ToHashSet();
    }

    /// <summary>θ [d + 1, K, C]: zeros, or the warm start's W and b (the last row) in every head.</summary>
    private static Tensor StartingPoint(ProbeWeights? warmStart, int inputs, int heads, int classes, ScalarType dtype, Device device)
    {
        if (warmStart is null) return torch.zeros([inputs + 1, heads, classes], dtype, device);
        var rows = warmStart.Weights.Concat(warmStart.Bias).ToArray();
        return torch.tensor(rows, [inputs + 1, 1, classes], device: device).to(dtype).expand(inputs + 1, heads, classes).contiguous();
    }

    private static void CheckInputs(LayerFeatures layer, ProbeTargets train, ProbeTargets validation, ProbeTargets test, int classCount, OptimalProbeOptions options)
    {
        var problems = options.Validate().ToList();
        if (classCount < 1 || (classCount < 2 && !train.IsMultiLabel))
            problems.Add($"classCount {classCount} must be at least 2 for class labels (at least 1 for label sets)");
        if (train.Count == 0 || validation.Count == 0 || test.Count == 0) problems.Add("every split needs at least one sample");
        if (train.IsMultiLabel != validation.IsMultiLabel || train.IsMultiLabel != test.IsMultiLabel)
            problems.Add("give class labels on every split or label sets on every split, not a mix");
        problems.AddRange(train.Problems("train", classCount).Concat(validation.Problems("validation", classCount)).Concat(test.Problems("test", classCount)));
        if (layer.Train.Rows != train.Count || layer.Validation.Rows != validation.Count || layer.Test.Rows != test.Count)
            problems.Add($"layer '{layer.Tap}' has {layer.Train.Rows}/{layer.Validation.Rows}/{layer.Test.Rows} rows but the targets number {train.Count}/{validation.Count}/{test.Count}");
        if (layer.Validation.Columns != layer.Dimensions || layer.Test.Columns != layer.Dimensions)
            problems.Add($"layer '{layer.Tap}' has a different width on its train, validation and test splits");
        if (problems.Count > 0) throw new ArgumentException("optimal probe: " + string.Join("; ", problems));
    }
}
