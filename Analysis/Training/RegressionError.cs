using ProbeGrid.Analysis.Data;
using ProbeGrid.Analysis.Zoo;
using TorchSharp;

namespace ProbeGrid.Analysis.Training;

/// <summary>
/// How far a regressor's outputs are from regression targets, in eval mode: the mean squared error
/// over every sample and output value (the task loss of <see cref="TargetKind.Regression"/>), where
/// accuracy has no meaning.
/// </summary>
public static class RegressionError
{
    /// <summary>The MSE of the model on <paramref name="data"/> (regression data); the model's training flag is restored.</summary>
    /// <exception cref="ArgumentException">The data is empty or has no regression targets.</exception>
    public static double MeanSquaredError(TappedModel model, LabeledData data, int batchSize = 256)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        if (data.Count == 0)
            throw new ArgumentException("the mean squared error of an empty data set is undefined.", nameof(data));
        if (!data.IsRegression)
            throw new ArgumentException($"{data.Kind} data has no regression targets: measure a classifier with ClassificationAccuracy.", nameof(data));
        return EvalModeSum.Over(model, data, batchSize, (output, start, count) =>
            TappedModel.PerSampleObjective(output, data.RegressionBatch(start, count), TargetKind.Regression).sum().item<float>()) / data.Count;
    }
}
