using ProbeGrid.Analysis.Zoo;
using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.Complexity;

/// <summary>
/// L(z): the mean task loss of the network's layers above a tap, run on a replaced feature z (the
/// feature-complexity games feed Δf + Σ_{i∈S} c^(i)). Eval mode, no gradient; per-sample losses are
/// summed in double in sample order, so a coalition's loss is the same whoever evaluates it.
/// </summary>
public sealed class UpperNetworkLoss(TappedModel model, string tap, long[] featureShape, Device device, int batchSize = 256)
{
    /// <summary>
    /// Targets of a sample set: class indices, or rows of <paramref name="RowShape"/> (label sets [classes],
    /// or regression targets); the network's own objective reads them (see <see cref="TappedModel.PerSampleLossFrom"/>).
    /// </summary>
    public sealed record Targets(long[]? Classes, float[]? Rows, long[] RowShape)
    {
        private int Width => (int)RowShape.Aggregate(1L, (a, b) => a * b);

        public int Count => Classes?.Length ?? Rows!.Length / Width;

        public Tensor Batch(int start, int count, Device device) => Classes is { } classes
            ? torch.tensor(classes.AsSpan(start, count).ToArray(), ScalarType.Int64, device)
            : torch.tensor(Rows!.AsSpan(start * Width, count * Width).ToArray(), [count, .. RowShape], device: device);
    }

    /// <exception cref="ArgumentException">The feature does not make <paramref name="targets"/>' rows of the tap's shape.</exception>
    public double Mean(float[] feature, Targets targets)
    {
        var size = (int)featureShape.Aggregate(1L, (a, b) => a * b);
        var count = targets.Count;
        if (feature.Length != (long)count * size)
            throw new ArgumentException($"the feature has {feature.Length} values, not {count} samples x {size} (tap '{tap}' of shape [{string.Join(", ", featureShape)}])");
        var wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = torch.no_grad();
            double sum = 0;
            for (var start = 0; start < count; start += batchSize)
            {
                using var scope = torch.NewDisposeScope();
                var n = Math.Min(batchSize, count - start);
                var z = torch.tensor(feature.AsSpan(start * size, n * size).ToArray(), [n, .. featureShape], device: device);
                using var losses = model.PerSampleLossFrom(tap, z, targets.Batch(start, n, device)).to(ScalarType.Float64).cpu();
                foreach (var loss in losses.data<double>()) sum += loss;
            }
            return sum / count;
        }
        finally
        {
            model.train(wasTraining);
        }
    }
}
