using ProbeGrid.Analysis.Activations;
using ProbeGrid.Analysis.Checkpoints;
using ProbeGrid.Tests.Checkpoints;

namespace ProbeGrid.Tests.Activations;

public class ActivationCacheKeyTests
{
    private static readonly Reduction Flatten = Reduction.Parse("flatten", 0, 0);

    private static ActivationCacheKey KeyOfFile(string checkpoint, string data = "data") =>
        ActivationCacheKey.For(ActivationCacheKey.Checkpoint(CheckpointFingerprint.Of(checkpoint)), data, Flatten);

    [Fact]
    public void The_same_weights_data_and_reduction_give_the_same_key_which_names_the_extraction_version()
    {
        var first = ActivationCacheKey.For("untrained mlp seed 1", "fashion-mnist test", Flatten);
        var second = ActivationCacheKey.For("untrained mlp seed 1", "fashion-mnist test", Reduction.Parse("flatten", 12, 3));

        Assert.Equal(first, second);
        Assert.Equal(first.Hash, second.Hash);
        Assert.Matches("^[0-9a-f]{24}$", first.Hash);
        Assert.StartsWith($"version={ActivationCacheKey.ExtractionVersion}\n", first.Text);
    }

    [Fact]
    public void A_checkpoint_is_named_by_its_content_so_a_copy_elsewhere_shares_the_key_and_other_weights_do_not()
    {
        using var folder = new TempFolder();
        var checkpoint = folder.File("step-100.pt");
        File.WriteAllBytes(checkpoint, Enumerable.Range(0, 100).Select(i => (byte)i).ToArray());
        var copy = folder.File("renamed.pt");
        File.Copy(checkpoint, copy);
        File.SetLastWriteTimeUtc(copy, new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        var before = KeyOfFile(checkpoint);

        Assert.Equal(before, KeyOfFile(copy));
        Assert.Contains($"weights=checkpoint sha256:{CheckpointFingerprint.Of(checkpoint)}\n", before.Text);

        // The same size, other bytes: other weights, another key (the old key named the file by path, size and time).
        File.WriteAllBytes(checkpoint, Enumerable.Range(0, 100).Select(i => (byte)(i + 1)).ToArray());
        Assert.NotEqual(before.Hash, KeyOfFile(checkpoint).Hash);
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
        Assert.Equal($"version={ActivationCacheKey.ExtractionVersion}\nweights=untrained mlp seed 1\ndata=gaussian-sign seed 3\nreduction=flatten", baseline.Text);
    }
}
