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
        var reduction = Reduction.Parse(inputs.Reduction.Kind, inputs.Reduction.MaxDims, inputs.Reduction.Seed);
        var taps = layersWanted.Select(l => l.Name).ToArray();
        // The weights by content (the plan's hash when it has one), so an entry can never stand for other weights.
        var weights = inputs.Checkpoint.Path is { } path
            ? ActivationCacheKey.Checkpoint(inputs.Checkpoint.ContentHash ?? CheckpointFingerprint.Of(path))
            : $"untrained:{inputs.Architecture}:{string.Join(';', inputs.ModelParameters)}:seed={inputs.InitSeed}";
        var datasetKey = DatasetProvider.Key(inputs.Dataset, inputs.Repeat);
        var nonFinite = new Dictionary<string, NonFiniteTap>(StringComparer.Ordinal);

        TappedModel? model = null;
        try
        {
            // A tap that is not finite on one split is not extracted on the next: its units fail whatever the rest holds.
            IReadOnlyDictionary<string, FeatureMatrix> Extract(LabeledData split, string splitName, IReadOnlyCollection<string> wanted)
            {
                var extracted = cache.GetOrCompute(ActivationCacheKey.For(weights, datasetKey + "|" + splitName, reduction), wanted, missing =>
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

    /// <summary>Bytes the job holds at its peak: the data, and every layer's features on every split (twice: managed arrays and tensors).</summary>
    public static long EstimateBytes(JobInputs inputs, IEnumerable<LayerRef> layers) => inputs.PeakBytes(2 * inputs.Rows * layers.Sum(l => (long)l.Width));
}
