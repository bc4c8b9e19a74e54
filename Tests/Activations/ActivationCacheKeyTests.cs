using ProbeGrid.Analysis.Activations;
using ProbeGrid.Tests.Checkpoints;

namespace ProbeGrid.Tests.Activations;

public class ActivationCacheKeyTests
{
    private static readonly Reduction Flatten = Reduction.Parse("flatten", 0, 0);

    [Fact]
    public void The_same_untouched_checkpoint_data_and_reduction_give_the_same_key()
    {
        using var folder = new TempFolder();
        var checkpoint = folder.File("step-100.ckpt");
        File.WriteAllBytes(checkpoint, new byte[100]);

        var first = ActivationCacheKey.For(checkpoint, "fashion-mnist test", Flatten);
        var second = ActivationCacheKey.For(checkpoint, "fashion-mnist test", Reduction.Parse("flatten", 12, 3));

        Assert.Equal(first, second);
        Assert.Equal(first.Hash, second.Hash);
        Assert.Matches("^[0-9a-f]{24}$", first.Hash);
        Assert.Contains(Path.GetFullPath(checkpoint) + "|100|", first.Text);
    }

    [Fact]
    public void Rewriting_the_checkpoint_with_another_size_changes_the_key()
    {
        using var folder = new TempFolder();
        var checkpoint = folder.File("step-100.ckpt");
        File.WriteAllBytes(checkpoint, new byte[100]);
        var before = ActivationCacheKey.For(checkpoint, "data", Flatten);

        File.WriteAllBytes(checkpoint, new byte[101]);

        Assert.NotEqual(before.Hash, ActivationCacheKey.For(checkpoint, "data", Flatten).Hash);
    }

    [Fact]
    public void Rewriting_the_checkpoint_with_the_same_size_but_a_new_write_time_changes_the_key()
    {
        using var folder = new TempFolder();
        var checkpoint = folder.File("step-100.ckpt");
        File.WriteAllBytes(checkpoint, new byte[100]);
        File.SetLastWriteTimeUtc(checkpoint, new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        var before = ActivationCacheKey.For(checkpoint, "data", Flatten);

        File.WriteAllBytes(checkpoint, Enumerable.Repeat((byte)1, 100).ToArray());
        File.SetLastWriteTimeUtc(checkpoint, new DateTime(2024, 1, 1, 0, 0, 1, DateTimeKind.Utc));

        Assert.NotEqual(before.Hash, ActivationCacheKey.For(checkpoint, "data", Flatten).Hash);
    }

    [Fact]
    public void Another_reduction_or_other_data_change_the_key()
    {
        var baseline = ActivationCacheKey.For("untrained mlp seed 1", "gaussian-sign seed 3", Flatten);

        string[] others =
        [
            ActivationCacheKey.For("untrained mlp seed 1", "gaussian-sign seed 3", Reduction.Parse("spatial-mean", 0, 0)).Hash,
            ActivationCacheKey.For("untrained mlp seed 1", "gaussian-sign seed 3", Reduction.Parse("random-projection", 64, 0)).Hash,
            ActivationCacheKey.For("untrained mlp seed 1", "gaussian-sign seed 3", Reduction.Parse("random-projection", 64, 1)).Hash,
            ActivationCacheKey.For("untrained mlp seed 1", "gaussian-sign seed 3", Reduction.Parse("random-projection", 65, 0)).Hash,
            ActivationCacheKey.For("untrained mlp seed 1", "gaussian-sign seed 4", Flatten).Hash,
            ActivationCacheKey.For("untrained mlp seed 2", "gaussian-sign seed 3", Flatten).Hash,
        ];

        Assert.DoesNotContain(baseline.Hash, others);
        Assert.Equal(others.Length, others.Distinct().Count());
        Assert.Equal("weights=untrained mlp seed 1\ndata=gaussian-sign seed 3\nreduction=flatten", baseline.Text);
    }
}
