using ProbeGrid.Analysis.Activations;
using ProbeGrid.Analysis.Checkpoints;
using ProbeGrid.Analysis.Data;
using ProbeGrid.Analysis.LinearProbes;
using ProbeGrid.Analysis.Zoo;
using ProbeGrid.GrainsInterfaces.Sweeps;

namespace ProbeGrid.Grains.Compute;

/// <summary>
/// Loads one checkpoint and runs the data through it once, capturing every tapped layer of the
/// plan, through the on-disk activation cache so a re-run or a second analysis reads it back.
/// Runs synchronously on the calling (compute) thread.
/// </summary>
public sealed class ActivationJob(DatasetProvider datasets, ActivationCache cache)
{
    public CheckpointActivations Run(SweepPlan plan, CheckpointRef checkpoint, int repeat, CancellationToken ct)
    {
        var spec = plan.Spec;
        var data = datasets.Get(spec.Dataset, repeat);
        var reduction = Reduction.Parse(spec.Reduction.Kind, spec.Reduction.MaxDims, spec.Reduction.Seed);
        var taps = plan.Layers.Select(l => l.Name).ToArray();
        var initSeed = spec.Model.InitSeed + repeat;
        var source = checkpoint.Path ?? $"untrained:{plan.Architecture}:{string.Join(';', plan.ModelParameters)}:seed={initSeed}";
        var datasetKey = DatasetProvider.Key(spec.Dataset, repeat);

        TappedModel? model = null;
        try
        {
            IReadOnlyDictionary<string, FeatureMatrix> Extract(LabeledData split, string splitName) =>
                cache.GetOrCompute(ActivationCacheKey.For(source, datasetKey + "|" + splitName, reduction), taps, missing =>
                {
                    model ??= LoadModel(plan, checkpoint, data, initSeed);
                    return ActivationExtractor.Extract(model, split, missing, reduction, spec.Resources.BatchSize, ct);
                });

            var train = Extract(data.Train, "train");
            var validation = Extract(data.Validation, "validation");
            var test = Extract(data.Test, "test");
            var layers = taps.ToDictionary(t => t, t => new LayerFeatures(t, train[t], validation[t], test[t]));
            return new CheckpointActivations(layers, data.Train.Labels, data.Validation.Labels, data.Test.Labels, data.ClassCount);
        }
        finally
        {
            model?.Dispose();
        }
    }

    private static TappedModel LoadModel(SweepPlan plan, CheckpointRef checkpoint, DatasetSplits data, long initSeed)
    {
        var model = ModelZoo.Create(plan.Architecture, plan.ModelParameters, data.SampleShape, data.ClassCount, initSeed);
        try
        {
            if (checkpoint.Path is not null) CheckpointFile.Load(model, checkpoint.Path);
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }
}
