using ProbeGrid.Analysis.Data;
using Xunit.Abstractions;

namespace ProbeGrid.Tests.Data;

/// <summary>The paper's five tasks on real Fashion-MNIST images: every target is finite and varies across images.</summary>
public sealed class RandomTaskRealDataTests(ITestOutputHelper output)
{
    [Fact]
    public void The_papers_tasks_give_finite_varying_targets_on_real_images()
    {
        Assert.True(Directory.Exists(FashionMnist.DefaultFolder),
            $"Fashion-MNIST is not installed at {FashionMnist.DefaultFolder}. Fix: {FashionMnist.InstallHint}.");
        var images = FashionMnist.Load(FashionMnist.DefaultFolder, trainCount: 100, validationCount: 1, testCount: 1, seed: 0).Train;
        foreach (var n in RandomTaskDataset.PaperReluLayers)
        {
            using var task = new RandomTaskNet(1, n, seed: 0);
            var data = new DatasetSplits(RandomTaskDataset.WithTargets(images, task), images, images);
            var targets = data.Train.Targets!;
            Assert.All(targets, v => Assert.True(float.IsFinite(v)));
            var mean = targets.Average(v => (double)v);
            var variance = targets.Average(v => (v - mean) * (v - mean));
            // Variance across images of each output value, averaged: what a target net must explain.
            var size = data.Train.TargetSize;
            var acrossImages = Enumerable.Range(0, size).Average(j =>
            {
                var column = Enumerable.Range(0, data.Train.Count).Select(i => (double)targets[i * size + j]).ToArray();
                var m = column.Average();
                return column.Average(v => (v - m) * (v - m));
            });
            output.WriteLine($"n = {n}: target mean {mean:G4}, variance {variance:G4}, variance across images {acrossImages:G4}");
            Assert.True(acrossImages > 0);
        }
    }
}
