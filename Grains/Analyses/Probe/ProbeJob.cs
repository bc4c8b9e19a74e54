using ProbeGrid.Grains.Compute;
using ProbeGrid.Analysis.Activations;
using ProbeGrid.Analysis.LinearProbes;
using ProbeGrid.GrainsInterfaces.Sweeps;
using TorchSharp;

namespace ProbeGrid.Grains.Analyses;

/// <summary>
/// Trains the probes of all requested layers of one checkpoint together, in one batched pass
/// over the cached activations; optionally warm-started from the previous checkpoint's probes.
/// On multi-label data the probes are sigmoid probes of the label sets (see ProbeObjective).
/// Layers whose activations are not finite are left out (each layer's probe is trained as if alone).
/// </summary>
public static class ProbeJob
{
    /// <summary>The probes of the layers whose activations are finite, and where the others were not.</summary>
    public sealed record Result(IReadOnlyList<ProbeResult> Probes, IReadOnlyDictionary<string, NonFiniteTap> NonFinite)
    {
        /// <summary>The probe of one layer.</summary>
        /// <exception cref="NonFiniteActivationException">the layer's activations were not finite: its unit fails, naming where.</exception>
        public ProbeResult For(string tap) =>
            NonFinite.TryGetValue(tap, out var where) ? throw new NonFiniteActivationException(where) : Probes.Single(p => p.Tap == tap);
    }

    /// <summary>
    /// The probes of a checkpoint under a memory plan: every tap at once, or (when the plan streams) every tap extracted into the
    /// cache first, then each training group read back, trained and let go before the next. The numbers are the same either way:
    /// each layer's probe trains as if alone.
    /// </summary>
    public static Result Run(
        ActivationJob activations,
        JobInputs inputs,
        ProbeMemoryPlan plan,
        ProbeSettings settings,
        IReadOnlyDictionary<string, ProbeWeights>? warmStart,
        torch.Device device,
        CancellationToken ct)
    {
        if (!plan.Streams)
        {
            var layers = plan.TrainingGroups.Single();
            return Run(activations.Run(inputs, layers, device, ct), layers, settings, warmStart, device, ct);
        }
        var nonFinite = new Dictionary<string, NonFiniteTap>(activations.Fill(inputs, plan.ExtractionGroups, device, ct), StringComparer.Ordinal);
        var probes = new List<ProbeResult>();
        foreach (var group in plan.TrainingGroups)
        {
            var finite = group.Where(l => !nonFinite.ContainsKey(l.Name)).ToList();
            if (finite.Count == 0) continue;
            // Read back from the cache (extracted above); this group's features are unreachable once it is trained.
            var result = Run(activations.Run(inputs, finite, device, ct), finite, settings, warmStart, device, ct);
            probes.AddRange(result.Probes);
            foreach (var (tap, where) in result.NonFinite) nonFinite[tap] = where;
            ActivationJob.ReleaseDropped();
        }
        return new Result(probes, nonFinite);
    }

    public static Result Run(
        CheckpointActivations activations,
        IReadOnlyList<LayerRef> layers,
        ProbeSettings settings,
        IReadOnlyDictionary<string, ProbeWeights>? warmStart,
        torch.Device device,
        CancellationToken ct)
    {
        var finite = activations.Finite(layers).Select(l => activations.Layers[l.Name]).ToList();
        if (finite.Count == 0) return new Result([], activations.NonFinite);
        if (settings.Classifier.Optimizer != ProbeOptions.Optimal)
            return new Result(ProbeTrainer.TrainAll(finite, activations.TrainTargets, activations.ValidationTargets, activations.TestTargets,
                activations.ClassCount, settings.Classifier, warmStart, ct, device), activations.NonFinite);

        // Each layer's convex problem to its optimum, every L2 strength of the grid in one pass over its features.
        var solved = finite.Select(layer => ProbeOptimum.ResultOf(ConvexProbeSolver.Solve(layer, activations.TrainTargets, activations.ValidationTargets,
            activations.TestTargets, activations.ClassCount, settings.OptimumOrDefault, warmStart?.GetValueOrDefault(layer.Tap), ct, device))).ToList();
        return new Result(solved, activations.NonFinite);
    }
}
