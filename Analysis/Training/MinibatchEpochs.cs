using ProbeGrid.Analysis.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.Training;

/// <summary>
/// The epoch loop the mimicking nets share (disentanglers, reliability nets, RU decoders): the schedule's
/// learning rate each epoch, a shuffle seeded by (seed, epoch), minibatches each in their own dispose scope,
/// and a stop on a non-finite loss; and the gathering of a minibatch's rows in that shuffled order.
/// </summary>
internal static class MinibatchEpochs
{
    /// <summary>A minibatch's loss from the samples order[start..start+count).</summary>
    public delegate Tensor BatchLoss(int[] order, int start, int count);

    /// <summary>Runs the schedule's epochs over <paramref name="samples"/> samples; every epoch's mean loss.</summary>
    /// <param name="what">names the net and its loss in the error, e.g. "disentangler of order 4: the training loss".</param>
    /// <exception cref="InvalidOperationException">The loss became NaN or infinite.</exception>
    public static IReadOnlyList<double> Run(optim.Optimizer optimizer, IEpochSchedule schedule, int samples, BatchLoss batchLoss, string what, CancellationToken ct)
    {
        var losses = new List<double>();
        for (var epoch = 0; epoch < schedule.Epochs; epoch++)
        {
            foreach (var group in optimizer.ParamGroups) group.LearningRate = schedule.LearningRate(epoch);
            var order = SeededRandom.Permutation(samples, SeededRandom.Create(schedule.Seed, epoch));
            double sum = 0;
            for (var start = 0; start < samples; start += schedule.BatchSize)
            {
                ct.ThrowIfCancellationRequested();
                using var scope = torch.NewDisposeScope();
                var count = Math.Min(schedule.BatchSize, samples - start);
                optimizer.zero_grad();
                var loss = batchLoss(order, start, count);
                loss.backward();
                optimizer.step();
                sum += loss.item<float>() * count;
            }
            var epochLoss = sum / samples;
            if (!double.IsFinite(epochLoss))
                throw new InvalidOperationException($"{what} became {epochLoss} in epoch {epoch + 1}; lower the initial learning rate ({schedule.InitialLearningRate})");
            losses.Add(epochLoss);
        }
        return losses;
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
}
