using ProbeGrid.Analysis.Activations;
using ProbeGrid.Analysis.Checkpoints;
using ProbeGrid.Analysis.Data;
using ProbeGrid.Analysis.LinearProbes;
using ProbeGrid.Analysis.Zoo;
using ProbeGrid.GrainsInterfaces.Sweeps;
using TorchSharp;

namespace ProbeGrid.Grains.Compute;

/// <summary>
/// Loads one checkpoint and runs the data through it once, capturing every layer of the work,
/// through the on-disk activation cache so a re-run or a second analysis reads it back. Taps that
/// produce NaN or infinity are reported in <see cref="CheckpointActivations.NonFinite"/>; the others
/// are returned as usual. Runs synchronously on the calling (executor) thread.
/// </summary>
public sealed class ActivationJob(DatasetProvider datasets, ActivationCache cache)
{
    public CheckpointActivations Run(JobInputs inputs, IEnumerable<LayerRef> layersWanted, torch.Device device, CancellationToken ct)
    {
        var data = datasets.Get(inputs.Dataset, inputs.Repeat);
        var reduction = ReductionOf(inputs);
        var weights = WeightsOf(inputs);
        var taps = layersWanted.Select(l => l.Name).ToArray();
        var nonFinite = new Dictionary<string, NonFiniteTap>(StringComparer.Ordinal);

        TappedModel? model = null;
        try
        {
            // A tap that is not finite on one split is not extracted on the next: its units fail whatever the rest holds.
            IReadOnlyDictionary<string, FeatureMatrix> Extract(LabeledData split, string splitName, IReadOnlyCollection<string> wanted)
            {
                var extracted = cache.GetOrCompute(KeyOf(weights, inputs, splitName, reduction), wanted, missing =>
                {
                    model ??= ModelLoader.For(inputs, device); // refuses a file changed since planning: its activations are cached under the planned hash
                    return ActivationExtractor.Extract(model, split, missing, reduction, inputs.BatchSize, ct);
                });
                foreach (var (tap, where) in extracted.NonFinite) nonFinite[tap] = where with { Split = splitName };
                return extracted.Features;
            }

            var train = Extract(data.Train, "train", taps);
            var validation = Extract(data.Validation, "validation", taps.Where(train.ContainsKey).ToArray());
            var test = Extract(data.Test, "test", taps.Where(validation.ContainsKey).ToArray());
            var layers = taps.Where(test.ContainsKey).ToDictionary(t => t, t => new LayerFeatures(t, train[t], validation[t], test[t]));
            static ProbeTargets Targets(LabeledData split) =>
                split.LabelSets is { } sets ? ProbeTargets.Sets(sets, split.ClassCount) : ProbeTargets.Classes(split.Labels);
            return new CheckpointActivations(layers, data.Train.Labels, data.Validation.Labels, data.Test.Labels, data.ClassCount)
            {
                TrainTargets = Targets(data.Train),
                ValidationTargets = Targets(data.Validation),
                TestTargets = Targets(data.Test),
                NonFinite = nonFinite,
            };
        }
        finally
        {
            model?.Dispose();
        }
    }

    /// <summary>
    /// Extracts into the cache every tap of <paramref name="groups"/> it does not hold yet, one forward pass per group and split, keeping
    /// nothing: a job that streams then reads the taps back a few at a time. Returns the taps whose activations are not finite, with
    /// where (a tap not finite on one split is not extracted on the next, as <see cref="Run"/> does).
    /// </summary>
    public IReadOnlyDictionary<string, NonFiniteTap> Fill(JobInputs inputs, IReadOnlyList<IReadOnlyList<LayerRef>> groups, torch.Device device, CancellationToken ct)
    {
        var data = datasets.Get(inputs.Dataset, inputs.Repeat);
        var reduction = ReductionOf(inputs);
        var weights = WeightsOf(inputs);
        var nonFinite = new Dictionary<string, NonFiniteTap>(StringComparer.Ordinal);
        TappedModel? model = null;
        try
        {
            foreach (var group in groups)
                foreach (var (split, splitName) in new[] { (data.Train, "train"), (data.Validation, "validation"), (data.Test, "test") })
                {
                    var key = KeyOf(weights, inputs, splitName, reduction);
                    var missing = group.Select(l => l.Name).Where(t => !nonFinite.ContainsKey(t) && !cache.Contains(key, t)).ToArray();
                    if (missing.Length == 0) continue;
                    // The features are written to disk and dropped here: only one split of one group is ever held.
                    var extracted = cache.GetOrCompute(key, missing, wanted =>
                    {
                        model ??= ModelLoader.For(inputs, device);
                        return ActivationExtractor.Extract(model, split, wanted, reduction, inputs.BatchSize, ct);
                    });
                    foreach (var (tap, where) in extracted.NonFinite) nonFinite[tap] = where with { Split = splitName };
                    ReleaseDropped();
                }
            return nonFinite;
        }
        finally
        {
            model?.Dispose();
        }
    }

    /// <summary>
    /// Collects the managed features a streaming job has just let go of. They are large arrays that only a full collection frees; left
    /// to the GC's own timing, the dropped groups pile up and the job holds what streaming was meant to shed (bench 'probe-memory').
    /// </summary>
    public static void ReleaseDropped() => GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);

    private static Reduction ReductionOf(JobInputs inputs) => Reduction.Parse(inputs.Reduction.Kind, inputs.Reduction.MaxDims, inputs.Reduction.Seed);

    /// <summary>The weights by content (the plan's hash when it has one), so an entry can never stand for other weights.</summary>
    /// <summary>
    /// What the network is: its weights (a checkpoint's content, or the seed of untrained ones), and for a checkpoint also
    /// the architecture and parameters (a parameter without weights, such as inception's transformInput, changes the
    /// activations) and the content of every file the network's code lives in (a TorchScript module): a replaced file
    /// at the same path must never reuse activations.
    /// </summary>
    private static string WeightsOf(JobInputs inputs)
    {
        var network = $"{inputs.Architecture}:{string.Join(';', inputs.ModelParameters)}";
        var weights = inputs.Checkpoint.Path is { } path
            ? $"{ActivationCacheKey.Checkpoint(inputs.Checkpoint.ContentHash ?? CheckpointFingerprint.Of(path))} of {network}"
            : $"untrained:{network}:seed={inputs.InitSeed}";
        if (!inputs.Models.Architectures.TryGet(inputs.Architecture, out var architecture)) return weights;
        var code = architecture.FileParameters.Where(inputs.ModelParameters.ContainsKey)
            .Select(p => $"{p}=sha256:{CheckpointFingerprint.Of(inputs.ModelParameters[p])}").ToList();
        return code.Count == 0 ? weights : $"{weights}; code {string.Join(", ", code)}";
    }

    private static ActivationCacheKey KeyOf(string weights, JobInputs inputs, string splitName, Reduction reduction) =>
        ActivationCacheKey.For(weights, DatasetProvider.Key(inputs.Dataset, inputs.Repeat) + "|" + splitName, reduction);

    /// <summary>Bytes the job holds at its peak: the data, and every layer's features on every split (twice: managed arrays and tensors).</summary>
    public static long EstimateBytes(JobInputs inputs, IEnumerable<LayerRef> layers) => inputs.PeakBytes(2 * inputs.Rows * layers.Sum(l => (long)l.Width));
}
