using System.Text.Json;
using ProbeGrid.Analysis.Checkpoints;

namespace ProbeGrid.Tests.Checkpoints;

/// <summary>
/// PyTorch users' run folders: Hugging Face checkpoint-N/ folders (sharded or not, beside the trainer's own files),
/// .pth and .bin files, sharded checkpoints as index files. Each is one checkpoint, ordered by its step.
/// </summary>
public class ShardedDiscoveryTests
{
    private static void Write(string path, string text = "x")
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    /// <summary>An index mapping one tensor to each shard, and the shards (their content does not matter to discovery).</summary>
    private static string[] Sharded(string folder, string indexName, params string[] shards)
    {
        var map = shards.Select((s, i) => ($"t{i}", s)).ToDictionary(e => e.Item1, e => e.s);
        Write(Path.Combine(folder, indexName), JsonSerializer.Serialize(new { metadata = new { }, weight_map = map }));
        foreach (var shard in shards) Write(Path.Combine(folder, shard), shard);
        return [.. shards.Select(s => Path.Combine(folder, s))];
    }

    private static string[] Names(IReadOnlyList<DiscoveredCheckpoint> found) => [.. found.Select(f => Path.GetFileName(f.Path))];

    [Fact]
    public void Checkpoint_folders_pth_and_bin_files_are_found_and_the_trainers_files_left_out()
    {
        using var run = new TempFolder();
        Sharded(run.File("checkpoint-1000"), "model.safetensors.index.json", "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors");
        Write(run.File("checkpoint-500/model.safetensors"));
        Write(run.File("checkpoint-250/pytorch_model.bin"));
        foreach (var side in new[] { "optimizer.pt", "scheduler.pt", "rng_state.pth", "training_args.bin", "trainer_state.json" })
            Write(run.File($"checkpoint-500/{side}"));
        Write(run.File("logs/events.txt")); // a folder without weights is not a checkpoint
        Write(run.File("epoch-3.pth"));
        Write(run.File("weights-750.bin"));
        Write(run.File("optimizer.bin"));
        Write(run.File("rng_state_1.pth"));

        var found = CheckpointDiscovery.Find(run.Path);

        Assert.Equal(["epoch-3.pth", "checkpoint-250", "checkpoint-500", "weights-750.bin", "checkpoint-1000"], Names(found));
        Assert.Equal([3L, 250L, 500L, 750L, 1000L], found.Select(f => f.Step!.Value));
        Assert.Equal(run.File("checkpoint-1000"), found[^1].Path);
    }

    [Fact]
    public void A_sharded_checkpoint_is_its_index_never_its_shards_one_by_one()
    {
        using var run = new TempFolder();
        Sharded(run.Path, "step-200.safetensors.index.json", "step-200-00001-of-00002.safetensors", "step-200-00002-of-00002.safetensors");
        Write(run.File("step-100.safetensors"));

        var found = CheckpointDiscovery.Find(run.Path);

        Assert.Equal(["step-100.safetensors", "step-200.safetensors.index.json"], Names(found));
        Assert.Equal([100L, 200L], found.Select(f => f.Step!.Value));
    }

    [Fact]
    public void A_folder_holding_a_sharded_checkpoint_is_that_one_checkpoint()
    {
        using var run = new TempFolder();
        var folder = run.File("checkpoint-500");
        Sharded(folder, "model.safetensors.index.json", "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors");
        Write(Path.Combine(folder, "optimizer.pt"));

        var found = Assert.Single(CheckpointDiscovery.Find(folder));
        Assert.Equal(folder, found.Path);
        Assert.Equal(500L, found.Step);
        Assert.Equal(folder, Assert.Single(CheckpointDiscovery.Find(Path.Combine(run.Path, "checkpoint-*"))).Path);
    }

    [Fact]
    public void Shards_the_caller_may_not_read_are_reported_with_their_checkpoint()
    {
        using var run = new TempFolder();
        Sharded(run.File("checkpoint-1"), "model.safetensors.index.json", "a.safetensors", "b.safetensors");
        Sharded(run.File("checkpoint-2"), "model.safetensors.index.json", "a.safetensors", "b.safetensors");
        bool MayRead(string path) => !path.EndsWith("b.safetensors", StringComparison.Ordinal);

        var error = Assert.Throws<CheckpointException>(() => CheckpointDiscovery.Find(run.Path, MayRead));

        Assert.Equal([
            $"'checkpoint-1': its file 'b.safetensors' is {run.File("checkpoint-1/b.safetensors")}: outside the data roots.",
            $"'checkpoint-2': its file 'b.safetensors' is {run.File("checkpoint-2/b.safetensors")}: outside the data roots.",
        ], error.Problems);
        Assert.Contains("outside the data roots", Assert.Throws<CheckpointException>(() => CheckpointDiscovery.Find(run.File("checkpoint-1"), MayRead)).Message);
        Assert.Contains("outside the data roots",
            Assert.Throws<CheckpointException>(() => CheckpointDiscovery.Find(run.File("checkpoint-1/model.safetensors.index.json"), MayRead)).Message);
    }

    [Fact]
    public void The_fingerprint_of_a_sharded_checkpoint_covers_every_shard()
    {
        using var run = new TempFolder();
        var folder = run.File("checkpoint-1");
        var shards = Sharded(folder, "model.safetensors.index.json", "a.safetensors", "b.safetensors", "c.safetensors");
        var index = Path.Combine(folder, "model.safetensors.index.json");

        var before = CheckpointFingerprint.Of(folder);
        Assert.Equal(before, CheckpointFingerprint.Of(index));
        Assert.Matches("^[0-9a-f]{64}$", before);

        File.WriteAllText(shards[2], "changed");
        File.SetLastWriteTimeUtc(shards[2], DateTime.UtcNow.AddMinutes(1));
        var after = CheckpointFingerprint.Of(folder);
        Assert.NotEqual(before, after);

        File.Delete(shards[1]);
        Assert.Throws<FileNotFoundException>(() => CheckpointFingerprint.Of(folder));
    }

    [Fact]
    public void The_fingerprint_of_a_non_sharded_checkpoint_folder_is_its_weights_file()
    {
        using var run = new TempFolder();
        Write(run.File("checkpoint-5/model.safetensors"), "weights");
        Assert.Equal(CheckpointFingerprint.Of(run.File("checkpoint-5/model.safetensors")), CheckpointFingerprint.Of(run.File("checkpoint-5")));
    }

    [Theory]
    [InlineData("checkpoint-500", 500L)]
    [InlineData("step-20.safetensors.index.json", 20L)]
    [InlineData("model.safetensors.index.json", null)]
    [InlineData("epoch_3.pth", 3L)]
    public void Step_numbers_of_folders_and_index_files(string name, long? step) =>
        Assert.Equal(step, CheckpointDiscovery.StepFromFileName(name));

    [Theory]
    [InlineData("/runs/a/step-200.safetensors.index.json", "step-200")]
    [InlineData("/runs/a/pytorch_model-step3.bin.index.json", "pytorch_model-step3")]
    [InlineData("/runs/a/checkpoint-500", "checkpoint-500")]
    [InlineData("/runs/a/checkpoint-500/", "checkpoint-500")]
    [InlineData("/runs/a/epoch_3.pth", "epoch_3")]
    [InlineData("/runs/a/step-000050.pt", "step-000050")]
    [InlineData("/runs/a/run.v2", "run.v2")]
    public void Results_name_a_checkpoint_without_its_format_extensions(string path, string name) =>
        Assert.Equal(name, DiscoveredCheckpoint.NameOf(path));
}
