using ProbeGrid.Analysis.Activations;
using ProbeGrid.Analysis.LinearProbes;

namespace ProbeGrid.Tests.LinearProbes;

public class ProbeInputValidationTests
{
    private static readonly ProbeProblem Problem =
        ProbeProblem.Blobs("layer1", dimensions: 3, classes: 3, separation: 2, noise: 1, train: 20, validation: 10, test: 10, seed: 11);

    private static readonly ProbeOptions Options = new() { MaxEpochs = 2 };

    private static ArgumentException Reject(
        IReadOnlyList<LayerFeatures>? layers = null, long[]? train = null, long[]? validation = null, long[]? test = null,
        int classCount = 3, ProbeOptions? options = null) =>
        Assert.Throws<ArgumentException>(() => ProbeTrainer.TrainAll(
            layers ?? [Problem.Layer], train ?? Problem.TrainLabels, validation ?? Problem.ValidationLabels, test ?? Problem.TestLabels,
            classCount, options ?? Options, null, CancellationToken.None));

    [Fact]
    public void Labels_outside_the_classes_are_rejected_naming_the_split_and_the_range()
    {
        var train = Problem.TrainLabels.ToArray();
        train[4] = 3;
        var test = Problem.TestLabels.ToArray();
        test[0] = -1;

        var e = Reject(train: train, test: test);

        Assert.Contains("train labels must lie in [0, 3)", e.Message);
        Assert.Contains("test labels must lie in [0, 3)", e.Message);
        Assert.DoesNotContain("validation labels", e.Message);
    }

    [Fact]
    public void Row_counts_that_do_not_match_the_labels_are_rejected_naming_the_layer_and_both_counts()
    {
        var e = Reject(train: Problem.TrainLabels[..19]);

        Assert.Contains("layer 'layer1' has 20/10/10 rows but the labels number 19/10/10", e.Message);
    }

    [Fact]
    public void Splits_of_different_widths_are_rejected_naming_the_layer()
    {
        var narrow = Problem.Layer with { Test = new FeatureMatrix(new float[20], 10, 2) };

        var e = Reject(layers: [narrow]);

        Assert.Contains("layer 'layer1' has a different width on its train, validation and test splits", e.Message);
    }

    [Fact]
    public void A_layer_listed_twice_is_rejected()
    {
        Assert.Contains("a layer is listed twice", Reject(layers: [Problem.Layer, Problem.Layer]).Message);
    }

    [Fact]
    public void Fewer_than_two_classes_or_an_empty_split_are_rejected()
    {
        Assert.Contains("classCount 1 must be at least 2", Reject(classCount: 1, train: new long[20], validation: new long[10], test: new long[10]).Message);
        var empty = Problem.Layer with { Test = new FeatureMatrix([], 0, 3) };
        Assert.Contains("every split needs at least one sample", Reject(layers: [empty], test: []).Message);
    }

    [Fact]
    public void Bad_options_are_rejected_before_anything_is_trained_with_every_problem_in_one_message()
    {
        var train = Problem.TrainLabels.ToArray();
        train[0] = 7;

        var e = Reject(train: train, options: new ProbeOptions { Optimizer = "nesterov", Patience = 0 });

        Assert.StartsWith("probe training: ", e.Message);
        Assert.Contains("optimizer 'nesterov' is not supported: use rmsprop, adam, sgd, lbfgs", e.Message);
        Assert.Contains("patience 0 must be at least 1", e.Message);
        Assert.Contains("train labels must lie in [0, 3)", e.Message);
    }
}
