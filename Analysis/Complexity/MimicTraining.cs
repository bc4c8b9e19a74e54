using ProbeGrid.Analysis.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.Complexity;

/// <summary>
/// What the disentangler trainers share: the epoch loop (log-linear learning rate, a seeded shuffle per
/// epoch, minibatches each in their own dispose scope, a stop on a non-finite loss), minibatches drawn in
/// that shuffled order, and the chunked no-gradient evaluation of a net on a sample set.
/// </summary>
internal static class MimicTraining
{
    private const int EvaluationChunk = 256;

    /// <summary>A minibatch's loss from the samples order[start..start+count).</summary>
    public delegate Tensor BatchLoss(int[] order, int start, int count);

    /// <summary>Runs <see cref="DisentanglerOptions.Epochs"/> epochs over <paramref name="samples"/> samples; the last epoch's mean loss.</summary>
    /// <param name="what">names the net and its loss in the error, e.g. "disentangler of order 4: the training loss".</param>
    /// <exception cref="InvalidOperationException">The loss became NaN or infinite.</exception>
    public static double Epochs(optim.Optimizer optimizer, DisentanglerOptions options, int samples, BatchLoss batchLoss, string what, CancellationToken ct)
    {
        double epochLoss = double.NaN;
        for (var epoch = 0; epoch < options.Epochs; epoch++)
        {
            foreach (var group in optimizer.ParamGroups) group.LearningRate = options.LearningRate(epoch);
            var order = SeededRandom.Permutation(samples, SeededRandom.Create(options.Seed, epoch));
            double sum = 0;
            for (var start = 0; start < samples; start += options.BatchSize)
            {
                ct.ThrowIfCancellationRequested();
                using var scope = torch.NewDisposeScope();
                var count = Math.Min(options.BatchSize, samples - start);
                optimizer.zero_grad();
                var loss = batchLoss(order, start, count);
                loss.backward();
                optimizer.step();
                sum += loss.item<float>() * count;
            }
            epochLoss = sum / samples;
            if (!double.IsFinite(epochLoss))
                throw new InvalidOperationException($"{what} became {epochLoss} in epoch {epoch + 1}; lower the initial learning rate ({options.InitialLearningRate})");
        }
        return epochLoss;
    }

    /// <summary>The rows order[start..start+count) of a row-major array, as a tensor [count, ..rowShape].</summary>
    public static Tensor Rows(float[] rows, long[] rowShape, int[] order, int start, int count, Device device)
    {
        var rowSize = (int)rowShape.Aggregate(1L, (a, b) => a * b);
        var batch = new float[count * rowSize];
        for (var i = 0; i < count; i++)
            Array.Copy(rows, (long)order[start + i] * rowSize, batch, (long)i * rowSize, rowSize);
        return torch.tensor(batch, [count, .. rowShape], device: device);
    }

    /// <summary><paramref name="forward"/> on every sample of <paramref name="set"/>, in chunks, without gradients: row-major [count, outputSize].</summary>
    public static float[] Evaluate(Func<Tensor, Tensor> forward, DisentanglerTrainer.Samples set, long[] inputShape, long outputSize, Device device)
    {
        using var noGrad = torch.no_grad();
        var inputSize = (int)inputShape.Aggregate(1L, (a, b) => a * b);
        var result = new float[set.Count * outputSize];
        for (var start = 0; start < set.Count; start += EvaluationChunk)
        {
            using var scope = torch.NewDisposeScope();
            var count = Math.Min(EvaluationChunk, set.Count - start);
            var x = torch.tensor(set.Inputs.AsSpan(start * inputSize, count * inputSize).ToArray(), [count, .. inputShape], device: device);
            using var output = forward(x).cpu();
            output.data<float>().CopyTo(result.AsSpan((int)(start * outputSize), (int)(count * outputSize)));
        }
        return result;
    }
}
