using ProbeGrid.Analysis.Data;
using ProbeGrid.Analysis.Zoo;
using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.Activations;

/// <summary>
/// Runs data through a model once, in inference mode and in batches, capturing every requested
/// tap at the same time. The model's parameters are only read: no gradient is recorded, and the
/// model is put back in the training mode it was found in.
/// </summary>
public static class ActivationExtractor
{
    /// <exception cref="ArgumentException">a tap the model does not have.</exception>
    /// <exception cref="NonFiniteActivationException">a tap produced NaN or infinity.</exception>
    public static IReadOnlyDictionary<string, FeatureMatrix> Extract(
        TappedModel model, LabeledData data, IReadOnlyCollection<string> taps, Reduction reduction, int batchSize, CancellationToken ct)
    {
        var unknown = taps.Where(t => !model.TapNames.Contains(t)).ToList();
        if (unknown.Count > 0)
            throw new ArgumentException($"the model has no tap {string.Join(", ", unknown.Select(t => $"'{t}'"))}; its taps are {string.Join(", ", model.TapNames)}");
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);

        var device = model.parameters().FirstOrDefault()?.device ?? CPU;
        var wanted = taps.ToHashSet(StringComparer.Ordinal);
        var shapes = model.TapShapes(data.SampleShape);
        var columns = wanted.ToDictionary(t => t, t => reduction.OutputSize(shapes[t]));
        var output = wanted.ToDictionary(t => t, t => new float[(long)data.Count * columns[t]]);

        var wasTraining = model.training;
        model.eval();
        try
        {
            using var reducer = new ActivationReducer(reduction, device);
            using var noGrad = torch.no_grad();
            for (var start = 0; start < data.Count; start += batchSize)
            {
                ct.ThrowIfCancellationRequested();
                var count = Math.Min(batchSize, data.Count - start);
                using var scope = torch.NewDisposeScope();
                using var input = data.InputBatch(start, count).to(device);
                model.Forward(input, (tap, activation) =>
                {
                    if (!wanted.Contains(tap)) return;
                    var features = reducer.Reduce(tap, activation).to(ScalarType.Float32).cpu().contiguous();
                    CopyChecked(tap, features, output[tap], start, columns[tap]);
                });
            }
        }
        finally
        {
            model.train(wasTraining);
        }
        return wanted.ToDictionary(t => t, t => new FeatureMatrix(output[t], data.Count, columns[t]));
    }

    /// <summary>One block copy out of the tensor, then a scan of the copied span for NaN and infinity.</summary>
    private static void CopyChecked(string tap, Tensor features, float[] destination, int startRow, int columns)
    {
        var offset = startRow * columns;
        var count = (int)features.numel();
        features.data<float>().CopyTo(destination, offset);
        var copied = destination.AsSpan(offset, count);
        for (var i = 0; i < copied.Length; i++)
            if (!float.IsFinite(copied[i])) throw new NonFiniteActivationException(tap, startRow + i / columns);
    }
}
