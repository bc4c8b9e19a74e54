using ProbeGrid.Analysis.Activations;
using ProbeGrid.Analysis.Data;
using ProbeGrid.Analysis.LinearProbes;
using ProbeGrid.Analysis.Zoo;
using ProbeGrid.GrainsInterfaces.Sweeps;
using TorchSharp;

namespace ProbeGrid.Grains.Compute;

/// <summary>
/// Loads one checkpoint and runs the data through it once, capturing every layer of the work,
/// through the on-disk activation cache so a re-run or a second analysis reads it back.
/// Runs synchronously on the calling (executor) thread.
/// </summary>
public sealed class ActivationJob(DatasetProvider datasets, ActivationCache cache)
{
    public CheckpointActivations Run(CheckpointWork work, torch.Device device, CancellationToken ct)
    {
        var spec = work.Spec;
        var data = datasets.Get(spec.Dataset, work.Repeat);
        var reduction = Reduction.Parse(spec.Reduction.Kind, spec.Reduction.MaxDims, spec.Reduction.Seed);
        var taps = work.Layers.Select(l => l.Name).ToArray();
        var initSeed = spec.Model.InitSeed + work.Repeat;
        var source = work.Checkpoint.Path ?? $"untrained:{work.Architecture}:{string.Join(';', work.ModelParameters)}:seed={initSeed}";
        var datasetKey = DatasetProvider.Key(spec.Dataset, work.Repeat);

        TappedModel? model = null;
        try
        {
            IReadOnlyDictionary<string, FeatureMatrix> Extract(LabeledData split, string splitName) =>
                cache.GetOrCompute(ActivationCacheKey.For(source, datasetKey + "|" + splitName, reduction), taps, missing =>
                {
                    model ??= ModelLoader.ForWork(work, device);
                    return ActivationExtractor.Extract(model, split, missing, reduction, spec.Resources.BatchSize, ct);
                });

            var train = Extract(data.Train, "train");
            var validation = Extract(data.Validation, "validation");
            var test = Extract(data.Test, "test");
            var layers = taps.ToDictionary(t => t, t => new LayerFeatures(t, train[t], validation[t], test[t]));
            static ProbeTargets Targets(LabeledData split) =>
                split.LabelSets is { } sets ? ProbeTargets.Sets(sets, split.ClassCount) : ProbeTargets.Classes(split.Labels);
            return new CheckpointActivations(layers, data.Train.Labels, data.Validation.Labels, data.Test.Labels, data.ClassCount)
            {
                TrainTargets = Targets(data.Train),
                ValidationTargets = Targets(data.Validation),
                TestTargets = Targets(data.Test),
            };
        }
        finally
        {
            model?.Dispose();
        }
    }

    /// <summary>Bytes the job holds at its peak: the data, and every layer's features on every split (twice: managed arrays and tensors).</summary>
    public static long EstimateBytes(CheckpointWork work, IReadOnlyCollection<LayerRef> layers)
    {
        var dataset = work.Spec.Dataset;
        var rows = (long)DatasetCatalog.SplitSizes(dataset.Name, dataset.Parameters).Sum();
        var sample = DatasetCatalog.SampleShape(dataset.Name, dataset.Parameters).Aggregate(1L, (a, b) => a * b);
        var features = layers.Sum(l => (long)l.Width);
        return 4 * rows * (sample + 2 * features);
    }
}
