using System.Runtime.InteropServices;
using ProbeGrid.Analysis.Data;
using ProbeGrid.Analysis.Zoo;
using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.Activations;

/// <summary>
/// Runs data through a model once, in inference mode and in batches, capturing every requested
/// tap at the same time. The model's parameters are only read: no gradient is recorded, and the
/// model is put back in the training mode it was found in. A tap that produces NaN or infinity is
/// reported on its own (with the model's first non-finite parameter) and the pass goes on for the others.
/// </summary>
public static class ActivationExtractor
{
    /// <exception cref="ArgumentException">a tap the model does not have.</exception>
    public static ExtractedActivations Extract(
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
        var nonFinite = new Dictionary<string, (long Sample, float Value)>(StringComparer.Ordinal);

        var wasTraining = model.training;
        model.eval();
        try
        {
            using var reducer = new ActivationReducer(reduction, device);
            using var noGrad = torch.no_grad();
            // A streamed split decodes the next batches while this one runs forward; leaving the loop stops it.
            foreach (var batch in data.InputBatches(batchSize, ct))
            {
                if (nonFinite.Count == wanted.Count) break;
                ct.ThrowIfCancellationRequested();
                var start = batch.Start;
                using var scope = torch.NewDisposeScope();
                using var input = batch.ToTensor().to(device);
                model.Forward(input, (tap, activation) =>
                {
                    if (!wanted.Contains(tap) || nonFinite.ContainsKey(tap)) return;
                    var features = reducer.Reduce(tap, activation).to(ScalarType.Float32).cpu().contiguous();
                    if (CopyChecked(features, output[tap], start, columns[tap]) is { } bad)
                    {
                        nonFinite[tap] = bad;
                        output.Remove(tap); // its values are not a result: let the memory go now
                    }
                }, wanted);
            }
        }
        finally
        {
            model.train(wasTraining);
        }

        var parameter = nonFinite.Count > 0 ? NonFiniteParameter.FirstIn(model) : null;
        return new ExtractedActivations(
            output.ToDictionary(o => o.Key, o => new FeatureMatrix(o.Value, data.Count, columns[o.Key]), StringComparer.Ordinal),
            nonFinite.ToDictionary(n => n.Key, n => new NonFiniteTap(n.Key, n.Value.Sample, n.Value.Value, parameter), StringComparer.Ordinal));
    }

    /// <summary>One block copy out of the tensor, then a scan of the copied span: the first NaN or infinity (its sample and value), if any.</summary>
    private static (long Sample, float Value)? CopyChecked(Tensor features, float[] destination, int startRow, int columns)
    {
        var offset = startRow * columns;
        var count = (int)features.numel();
        // A span over the contiguous tensor's memory: TensorAccessor.CopyTo goes element by element, 20x slower (measured).
        var copied = destination.AsSpan(offset, count);
        MemoryMarshal.Cast<byte, float>(features.bytes).CopyTo(copied);
        for (var i = 0; i < copied.Length; i++)
            if (!float.IsFinite(copied[i])) return (startRow + i / columns, copied[i]);
        return null;
    }
}
