using ProbeGrid.Analysis.Activations;
using ProbeGrid.Analysis.LinearProbes;

namespace ProbeGrid.Tests.LinearProbes;

/// <summary>
/// A small probe problem with a known answer: one layer's features and the labels of the three
/// splits, drawn from a seeded <see cref="Random"/> so every run sees the same numbers.
/// </summary>
internal sealed record ProbeProblem(LayerFeatures Layer, long[] TrainLabels, long[] ValidationLabels, long[] TestLabels, int Classes)
{
    public IReadOnlyList<ProbeResult> Train(ProbeOptions options, IReadOnlyDictionary<string, ProbeWeights>? warmStart = null, CancellationToken ct = default) =>
        ProbeTrainer.TrainAll([Layer], TrainLabels, ValidationLabels, TestLabels, Classes, options, warmStart, ct);

    /// <summary>
    /// Gaussian blobs: a sample of class c is <paramref name="separation"/>·e_c plus N(0, noise²) in each of
    /// <paramref name="dimensions"/> coordinates (classes ≤ dimensions); labels uniform.
    /// </summary>
    public static ProbeProblem Blobs(string tap, int dimensions, int classes, double separation, double noise, int train, int validation, int test, int seed)
    {
        var random = new Random(seed);
        long[] Labels(int rows) => Enumerable.Range(0, rows).Select(_ => (long)random.Next(classes)).ToArray();
        var (yTrain, yValidation, yTest) = (Labels(train), Labels(validation), Labels(test));
        return new ProbeProblem(BlobFeatures(tap, yTrain, yValidation, yTest, dimensions, separation, noise, seed + 1), yTrain, yValidation, yTest, classes);
    }

    /// <summary>
    /// Features for given labels: separation·e_label plus N(0, noise²) per coordinate (labels at or
    /// beyond <paramref name="dimensions"/> get no signal), so layers of one problem share their samples.
    /// </summary>
    public static LayerFeatures BlobFeatures(string tap, long[] train, long[] validation, long[] test, int dimensions, double separation, double noise, int seed)
    {
        var random = new Random(seed);
        FeatureMatrix Split(long[] labels)
        {
            var data = new float[labels.Length * dimensions];
            for (var r = 0; r < labels.Length; r++)
                for (var d = 0; d < dimensions; d++)
                    data[r * dimensions + d] = (float)((labels[r] == d ? separation : 0) + noise * Normal(random));
            return new FeatureMatrix(data, labels.Length, dimensions);
        }
        return new LayerFeatures(tap, Split(train), Split(validation), Split(test));
    }

    /// <summary>Standard normal features and uniform labels drawn independently of them: nothing to learn.</summary>
    public static ProbeProblem IndependentLabels(string tap, int dimensions, int classes, int train, int validation, int test, int seed)
    {
        var random = new Random(seed);
        (FeatureMatrix, long[]) Split(int rows) => (
            new FeatureMatrix(Enumerable.Range(0, rows * dimensions).Select(_ => (float)Normal(random)).ToArray(), rows, dimensions),
            Enumerable.Range(0, rows).Select(_ => (long)random.Next(classes)).ToArray());
        var (xTrain, yTrain) = Split(train);
        var (xValidation, yValidation) = Split(validation);
        var (xTest, yTest) = Split(test);
        return new ProbeProblem(new LayerFeatures(tap, xTrain, xValidation, xTest), yTrain, yValidation, yTest, classes);
    }

    /// <summary>The same problem with every split's features replaced by a copy of the training split (and its labels).</summary>
    public ProbeProblem ValidatedOnTrain() =>
        this with { Layer = Layer with { Validation = Layer.Train, Test = Layer.Train }, ValidationLabels = TrainLabels, TestLabels = TrainLabels };

    /// <summary>The softmax probabilities the probe <paramref name="weights"/> gives the feature vector <paramref name="h"/>.</summary>
    public static double[] Probabilities(ProbeWeights weights, ReadOnlySpan<float> h)
    {
        var logits = new double[weights.Classes];
        for (var c = 0; c < weights.Classes; c++)
        {
            logits[c] = weights.Bias[c];
            for (var i = 0; i < weights.Inputs; i++) logits[c] += (double)h[i] * weights.Weights[i * weights.Classes + c];
        }
        var max = logits.Max();
        var exp = logits.Select(l => Math.Exp(l - max)).ToArray();
        var sum = exp.Sum();
        return exp.Select(e => e / sum).ToArray();
    }

    /// <summary>The mean cross-entropy of a probe, computed here in double precision.</summary>
    public static double MeanCrossEntropy(ProbeWeights weights, FeatureMatrix features, long[] labels) =>
        Enumerable.Range(0, features.Rows).Average(r => -Math.Log(Probabilities(weights, features.Row(r))[labels[r]]));

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
