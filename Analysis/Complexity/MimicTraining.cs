using ProbeGrid.Analysis.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.Complexity;

/// <summary>
/// What the disentangler trainers share beyond their epoch loop (<see cref="MinibatchEpochs"/>): the chunked
/// no-gradient evaluation of a net on a sample set.
/// </summary>
internal static class MimicTraining
{
    private const int EvaluationChunk = 256;

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
