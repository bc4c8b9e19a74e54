using ProbeGrid.Analysis.Data;
using ProbeGrid.Analysis.Zoo;
using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.Training;

/// <summary>
/// A model's outputs on a data set in eval mode, without gradients, batch by batch (each in its own
/// dispose scope, outputs on the CPU), summed through a per-batch number; the model's training flag is restored.
/// </summary>
internal static class EvalModeSum
{
    /// <param name="perBatch">the batch's number from its outputs and the samples [start, start + count).</param>
    public static double Over(TappedModel model, LabeledData data, int batchSize, Func<Tensor, int, int, double> perBatch)
    {
        var device = model.parameters().FirstOrDefault()?.device ?? torch.CPU;
        var wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = torch.no_grad();
            double sum = 0;
            for (var start = 0; start < data.Count; start += batchSize)
            {
                using var scope = torch.NewDisposeScope();
                var count = Math.Min(batchSize, data.Count - start);
                sum += perBatch(model.Forward(data.InputBatch(start, count).to(device), null).cpu(), start, count);
            }
            return sum;
        }
        finally
        {
            model.train(wasTraining);
        }
    }
}
