using ProbeGrid.Analysis.LinearProbes;

namespace ProbeGrid.Tests.LinearProbes;

public class ProbeOptionsTests
{
    [Fact]
    public void The_defaults_are_valid_and_are_the_papers_RmsProp()
    {
        var options = new ProbeOptions();

        Assert.Empty(options.Validate());
        Assert.Equal(ProbeOptions.RmsProp, options.Optimizer);
        Assert.Equal(["rmsprop", "adam", "sgd", "lbfgs", "optimal"], ProbeOptions.Optimizers);
    }

    [Fact]
    public void Validate_lists_every_problem_each_naming_the_parameter_and_what_is_accepted()
    {
        var options = new ProbeOptions
        {
            Optimizer = "LBFGS",
            LearningRate = double.NaN,
            BatchSize = 0,
            MaxEpochs = -1,
            Patience = 0,
            MinDelta = -0.5,
            WeightDecay = double.PositiveInfinity,
        };

        var problems = options.Validate();

        Assert.Equal(
        [
            "optimizer 'LBFGS' is not supported: use rmsprop, adam, sgd, lbfgs, optimal",
            "learningRate NaN must be a positive number",
            "batchSize 0 must be at least 1",
            "maxEpochs -1 must be at least 1",
            "patience 0 must be at least 1",
            "minDelta -0.5 must be zero or positive",
            "weightDecay Infinity must be zero or positive",
        ], problems);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1e-3)]
    [InlineData(double.PositiveInfinity)]
    public void A_learning_rate_must_be_positive_and_finite(double learningRate)
    {
        var problem = Assert.Single(new ProbeOptions { LearningRate = learningRate }.Validate());

        Assert.StartsWith("learningRate ", problem);
    }

    [Fact]
    public void Zero_min_delta_and_weight_decay_are_allowed()
    {
        Assert.Empty(new ProbeOptions { MinDelta = 0, WeightDecay = 0, Optimizer = ProbeOptions.Adam }.Validate());
        Assert.Empty(new ProbeOptions { MinDelta = 1e-4, WeightDecay = 1e-2, Optimizer = ProbeOptions.Lbfgs }.Validate());
    }
}
