using ProbeGrid.Analysis.LinearProbes;

namespace ProbeGrid.Tests.LinearProbes;

public class ProbeCancellationTests
{
    [Theory]
    [InlineData(ProbeOptions.RmsProp)]
    [InlineData(ProbeOptions.Adam)]
    [InlineData(ProbeOptions.Lbfgs)]
    public void A_cancelled_token_stops_training_with_OperationCanceledException(string optimizer)
    {
        var problem = ProbeProblem.Blobs("layer", dimensions: 3, classes: 2, separation: 2, noise: 1, train: 50, validation: 20, test: 20, seed: 12);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => problem.Train(new ProbeOptions { Optimizer = optimizer }, ct: cancelled.Token));
    }

    [Fact]
    public void Cancelling_during_training_stops_it_before_the_epoch_budget_is_spent()
    {
        var problem = ProbeProblem.Blobs("layer", dimensions: 3, classes: 2, separation: 2, noise: 1, train: 2000, validation: 20, test: 20, seed: 12);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var options = new ProbeOptions { Optimizer = ProbeOptions.Adam, BatchSize = 1, MaxEpochs = 1000, Patience = 1000 };
        var watch = System.Diagnostics.Stopwatch.StartNew();

        Assert.ThrowsAny<OperationCanceledException>(() => problem.Train(options, ct: cts.Token));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed} to notice the cancellation");
    }
}
