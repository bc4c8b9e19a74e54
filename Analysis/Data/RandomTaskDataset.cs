namespace ProbeGrid.Analysis.Data;

/// <summary>
/// The feature-complexity paper's Task-n ("random-task"): Fashion-MNIST images as inputs, and as each
/// image's target the output of a randomly initialised task DNN with n ReLU layers
/// (<see cref="RandomTaskNet"/>, [64, 7, 7] for a 28x28 image), computed once when the data set is
/// loaded. A target network learns to reproduce it with an MSE loss (the paper's n = 0, 2, 8, 26, 80:
/// the deeper the task DNN, the more complex the task). The images and their splits are Fashion-MNIST's
/// (<see cref="FashionMnist.Load"/>, seeded by the run's seed); the task DNN's weights are seeded by
/// the data set's own <c>seed</c> parameter, so runs with other seeds still learn the same task.
/// </summary>
public static class RandomTaskDataset
{
    public const int DefaultTrainCount = 10_000;
    public const int DefaultValidationCount = 2_000;
    public const int DefaultTestCount = 2_000;

    /// <summary>The deepest task DNN allowed: the paper's deepest has 80 ReLU layers; this bounds the one-off cost of the targets.</summary>
    public const int MaxReluLayers = 1_000;

    /// <summary>The paper's tasks: n = 0, 2, 8, 26, 80 ReLU layers (1, 3, 9, 27, 81 convolutions before the pool).</summary>
    public static IReadOnlyList<int> PaperReluLayers { get; } = [0, 2, 8, 26, 80];

    /// <summary>The target shape for Fashion-MNIST images: [64, 7, 7].</summary>
    public static long[] TargetShape => RandomTaskNet.OutputShape(FashionMnist.SampleShape);

    /// <summary>
    /// Fashion-MNIST splits from <paramref name="folder"/> (seeded by <paramref name="splitSeed"/>) with the
    /// targets of the task DNN with <paramref name="reluLayers"/> ReLU layers and weights seeded by <paramref name="taskSeed"/>.
    /// </summary>
    /// <exception cref="ArgumentException">A parameter is out of range; the message lists every problem.</exception>
    /// <exception cref="FileNotFoundException">The folder or one of its files is missing.</exception>
    /// <exception cref="IdxFormatException">A file is damaged or the files disagree.</exception>
    public static DatasetSplits Load(string folder, int reluLayers, long taskSeed, int trainCount, int validationCount, int testCount, long splitSeed)
    {
        var problems = ParameterProblems(reluLayers, trainCount, validationCount, testCount);
        if (problems.Count > 0)
            throw new ArgumentException("random-task data set parameters are invalid: " + string.Join("; ", problems) + ".");

        var images = FashionMnist.Load(folder, trainCount, validationCount, testCount, splitSeed);
        using var task = new RandomTaskNet(FashionMnist.SampleShape[0], reluLayers, taskSeed);
        return new DatasetSplits(WithTargets(images.Train, task), WithTargets(images.Validation, task), WithTargets(images.Test, task));
    }

    /// <summary>The same images with the task DNN's outputs as their regression targets.</summary>
    public static LabeledData WithTargets(LabeledData images, RandomTaskNet task)
    {
        var imageShape = images.SampleShape;
        return LabeledData.Regression(images.Inputs, imageShape, task.Apply(images.Inputs, imageShape), RandomTaskNet.OutputShape(imageShape));
    }

    /// <summary>Every problem with the parameters, checked against the standard Fashion-MNIST files, without reading anything.</summary>
    internal static IReadOnlyList<string> ParameterProblems(int reluLayers, int trainCount, int validationCount, int testCount)
    {
        var problems = new List<string>();
        if (reluLayers is < 0 or > MaxReluLayers)
            problems.Add($"n must be a number of ReLU layers from 0 to {MaxReluLayers} (got {reluLayers}); the paper's tasks use {string.Join(", ", PaperReluLayers)}");
        problems.AddRange(FashionMnist.CountProblems(trainCount, validationCount, testCount));
        return problems;
    }
}
