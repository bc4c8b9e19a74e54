using System.Text;
using ProbeGrid.Analysis.Checkpoints;
using ProbeGrid.Tests.Zoo;
using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Tests.Checkpoints;

/// <summary>
/// Weights as PyTorch 1.13 writes them (<see cref="PyTorchWeightsFixture"/>) load into the zoo network with exactly
/// the values PyTorch saved; every way such a file can be wrong is refused with its cause, before any weight moves.
/// </summary>
public class PyTorchWeightsTests(PyTorchWeightsFixture fixture) : IClassFixture<PyTorchWeightsFixture>
{
    [Theory]
    [InlineData("sd.pt", CheckpointFormat.PyTorchPickle, null, null)]
    [InlineData("protocol4.pt", CheckpointFormat.PyTorchPickle, null, null)]
    [InlineData("wrapped.pth", CheckpointFormat.PyTorchPickle, "model", null)]
    [InlineData("state_dict.bin", CheckpointFormat.PyTorchPickle, "state_dict", null)]
    [InlineData("only-one.pt", CheckpointFormat.PyTorchPickle, "ema", null)]
    [InlineData("ddp.pt", CheckpointFormat.PyTorchPickle, null, "module.")]
    [InlineData("views.pt", CheckpointFormat.PyTorchPickle, null, null)]
    [InlineData("f64.safetensors", CheckpointFormat.Safetensors, null, null)]
    [InlineData("sharded", CheckpointFormat.Sharded, null, null)]
    [InlineData("sharded/model.safetensors.index.json", CheckpointFormat.Sharded, null, null)]
    [InlineData("sharded-bin", CheckpointFormat.Sharded, null, null)]
    public void Every_tensor_loads_with_the_values_PyTorch_saved(string file, CheckpointFormat format, string? key, string? prefix)
    {
        using var model = PyTorchWeightsFixture.NewModel();
        Assert.NotEqual(fixture.Original["stem.conv.weight"], ModelState.Of(model)["stem.conv.weight"]);

        var contents = CheckpointFile.Load(model, fixture.File(file));

        var loaded = ModelState.Of(model);
        Assert.Equal(fixture.Original.Keys.Order(), loaded.Keys.Order());
        foreach (var (name, values) in fixture.Original)
            Assert.True(values.SequenceEqual(loaded[name]), $"tensor '{name}' differs");
        Assert.Equal(format, contents.Format);
        Assert.Equal(key, contents.StateDictKey);
        Assert.Equal(prefix, contents.StrippedPrefix);
        Assert.Equal(fixture.Original.Count, contents.TensorCount);
    }

    [Theory]
    [InlineData("bf16.safetensors", "bf16-expected.safetensors")]
    [InlineData("f16.safetensors", "f16-expected.safetensors")]
    [InlineData("bf16.pt", "bf16-expected.safetensors")]
    public void Half_precision_weights_are_widened_to_the_model_dtype_exactly(string file, string expectedFile)
    {
        using var model = PyTorchWeightsFixture.NewModel();
        CheckpointFile.Load(model, fixture.File(file));

        var expected = SafetensorsFormat.Read(fixture.File(expectedFile));
        try
        {
            var loaded = model.state_dict();
            Assert.Equal(expected.Keys.Order(), loaded.Keys.Order());
            foreach (var (name, values) in expected)
            {
                Assert.Equal(loaded[name].dtype == ScalarType.Int64 ? ScalarType.Int64 : ScalarType.Float32, loaded[name].dtype);
                Assert.Equal(ModelState.Values(values.to(ScalarType.Float32)), ModelState.Values(loaded[name].to(ScalarType.Float32)));
            }
            // Rounding to 16 bits did change the weights: the comparison above is not with the originals.
            Assert.NotEqual(fixture.Original["fc.weight"], ModelState.Of(model)["fc.weight"]);
        }
        finally
        {
            foreach (var t in expected.Values) t.Dispose();
        }
    }

    [Fact]
    public void A_network_loaded_from_a_pickle_computes_what_the_trained_one_does()
    {
        using var model = PyTorchWeightsFixture.NewModel();
        CheckpointFile.Load(model, fixture.File("wrapped.pth"));
        model.eval();
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var x = ModelState.RandomBatch(5, 4, 1, 8, 8);
        var expected = ModelState.Values(fixture.Trained.forward(x));
        var actual = ModelState.Values(model.forward(x));
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5 * Math.Max(1, Math.Abs(expected[i])), $"logit {i}: {expected[i]} vs {actual[i]}");
    }

    [Fact]
    public void Inspect_reads_only_the_layout_and_names_the_wrapping_key()
    {
        var contents = CheckpointFile.Inspect(fixture.File("wrapped.pth"));
        Assert.Equal(CheckpointFormat.PyTorchPickle, contents.Format);
        Assert.Equal("model", contents.StateDictKey);
        Assert.Equal(fixture.Original.Count, contents.TensorCount);

        var sharded = CheckpointFile.Inspect(fixture.File("sharded"));
        Assert.Equal(CheckpointFormat.Sharded, sharded.Format);
        Assert.Equal(fixture.File("sharded/model.safetensors.index.json"), sharded.WeightsPath);
        Assert.Equal(4, sharded.Files.Count); // the index and three shards
    }

    [Fact]
    public void Check_reads_no_tensor_data_so_damaged_bytes_show_only_when_loading()
    {
        using var model = PyTorchWeightsFixture.NewModel();
        var before = ModelState.Of(model);

        CheckpointFile.Check(model, fixture.File("damaged.pt")); // data.pkl and the entries' sizes are intact
        var error = Assert.Throws<CheckpointException>(() => CheckpointFile.Load(model, fixture.File("damaged.pt")));

        Assert.Contains("is damaged (its checksum or length is wrong)", error.Message);
        Assert.Contains("Fix: The file is truncated or corrupt", error.Message);
    }

    [Fact]
    public void A_truncated_pickle_is_named_truncated()
    {
        var error = Assert.Throws<CheckpointException>(() => CheckpointFile.CheckReadable(fixture.File("truncated.pt")));
        Assert.Contains("starts as a zip archive (a PyTorch checkpoint) but its end, where a zip lists its entries, is missing or damaged", error.Message);
        Assert.Contains("truncated or corrupt", error.Message);
    }

    [Fact]
    public void The_legacy_format_is_refused_with_how_to_resave_it()
    {
        var error = Assert.Throws<CheckpointException>(() => CheckpointFile.CheckReadable(fixture.File("legacy.pt")));
        Assert.Contains("legacy (pre-1.6, non-zip) format", error.Message);
        Assert.Contains("torch.save(torch.load(path, map_location='cpu'), new_path)", error.Message);
    }

    [Theory]
    [InlineData("namespace.pt", "'argparse.Namespace'")]
    [InlineData("runs-code.pt", "'posix.system'")]
    public void Classes_a_state_dict_does_not_need_are_refused_by_name_and_never_run(string file, string named)
    {
        using var model = PyTorchWeightsFixture.NewModel();
        var before = ModelState.Of(model);

        var error = Assert.Throws<CheckpointException>(() => CheckpointFile.Load(model, fixture.File(file)));

        Assert.Contains($"it holds an object of class {named}, which ProbeGrid does not unpickle", error.Message);
        Assert.Contains("torch.save(model.state_dict(), path)", error.Message);
        Assert.False(File.Exists(fixture.File("ran")), "unpickling ran the file's command");
        Assert.All(ModelState.Of(model), p => Assert.Equal(before[p.Key], p.Value));
    }

    [Fact]
    public void A_saved_tensor_is_not_a_state_dict()
    {
        var error = Assert.Throws<CheckpointException>(() => CheckpointFile.CheckReadable(fixture.File("tensor.pt")));
        Assert.Contains("it holds a single tensor, not a state dict", error.Message);
    }

    [Fact]
    public void Two_state_dicts_under_unknown_keys_are_ambiguous()
    {
        var error = Assert.Throws<CheckpointException>(() => CheckpointFile.CheckReadable(fixture.File("two-state-dicts.pt")));
        Assert.Contains("it holds 2 state dicts (under 'a', 'b')", error.Message);
        Assert.Contains("torch.save(checkpoint['KEY'], path)", error.Message);
    }

    [Fact]
    public void A_mismatch_in_a_wrapped_pickle_says_which_state_dict_was_compared()
    {
        using var wider = ProbeGrid.Analysis.Zoo.ModelZoo.Create(PyTorchWeightsFixture.Architecture, new Dictionary<string, string> { ["width"] = "4" }, PyTorchWeightsFixture.SampleShape, 3, 1);
        var error = Assert.Throws<CheckpointException>(() => CheckpointFile.Check(wider, fixture.File("wrapped.pth")));
        Assert.Contains("shape mismatch for 'stem.conv.weight'", error.Message);
        Assert.Contains("(Compared: the state dict under key 'model' of the saved dict.)", error.Message);
    }

    [Fact]
    public void A_tensor_in_two_shards_is_refused()
    {
        var error = Assert.Throws<CheckpointException>(() => CheckpointFile.CheckReadable(fixture.File("duplicated")));
        Assert.Single(error.Problems);
        Assert.Matches(@"tensor '[\w.]+' is in 2 shards, 'model-00001-of-00003.safetensors' and 'model-00002-of-00003.safetensors'\.", error.Problems[0]);
        Assert.Contains("Keep each tensor in one shard only", error.Message);
    }

    [Fact]
    public void Missing_shards_and_shards_outside_the_folder_are_listed_together()
    {
        using var copy = new TempFolder();
        var shards = Directory.GetFiles(fixture.File("sharded"), "*-of-*").Order().ToArray();
        File.Copy(shards[0], Path.Combine(copy.Path, Path.GetFileName(shards[0])));
        File.Copy(shards[2], Path.Combine(copy.Path, "elsewhere.safetensors"));
        var index = File.ReadAllText(fixture.File("sharded/model.safetensors.index.json"))
            .Replace("model-00003-of-00003.safetensors", "../model-00003-of-00003.safetensors");
        File.WriteAllText(Path.Combine(copy.Path, "model.safetensors.index.json"), index);

        var error = Assert.Throws<CheckpointException>(() => CheckpointFile.CheckReadable(copy.Path));

        Assert.Single(error.Problems);
        Assert.Matches(@"^the weight_map sends \d+ tensors \(the first '[\w.]+'\) to a shard that is a path, not a file beside the index: shards must lie in the checkpoint's folder\.$", error.Problems[0]);
        Assert.Contains("Shard names are plain file names", error.Message);

        File.WriteAllText(Path.Combine(copy.Path, "model.safetensors.index.json"), index.Replace("../", ""));
        error = Assert.Throws<CheckpointException>(() => CheckpointFile.CheckReadable(copy.Path));
        Assert.Equal(2, error.Problems.Count);
        Assert.Matches(@"^shard 'model-00002-of-00003\.safetensors' \(which the index maps \d+ tensors to\) does not exist\.$", error.Problems[0]);
        Assert.Contains("shard 'model-00003-of-00003.safetensors' (which the index maps", error.Message);
        Assert.Contains("Restore the missing shards beside the index", error.Message);
    }

    [Fact]
    public void A_shard_that_links_out_of_the_folder_is_refused()
    {
        using var outside = new TempFolder();
        using var copy = new TempFolder();
        foreach (var file in Directory.GetFiles(fixture.File("sharded")))
            File.Copy(file, Path.Combine(copy.Path, Path.GetFileName(file)));
        var moved = Path.Combine(copy.Path, "model-00002-of-00003.safetensors");
        File.Move(moved, Path.Combine(outside.Path, "shard.safetensors"));
        File.CreateSymbolicLink(moved, Path.Combine(outside.Path, "shard.safetensors"));

        var error = Assert.Throws<CheckpointException>(() => CheckpointFile.CheckReadable(copy.Path));
        Assert.Contains($"shard 'model-00002-of-00003.safetensors' is a symbolic link to {Path.Combine(outside.Path, "shard.safetensors")}, outside the checkpoint's folder.", error.Message);
    }

    [Fact]
    public void An_unsupported_dtype_in_a_shard_is_named_with_its_shard()
    {
        using var copy = new TempFolder();
        var header = """{"fc.bias":{"dtype":"F8_E4M3","shape":[3],"data_offsets":[0,3]}}""";
        var bytes = Encoding.ASCII.GetBytes(header);
        var file = new byte[8 + bytes.Length + 8];
        BitConverter.TryWriteBytes(file.AsSpan(0, 8), (ulong)bytes.Length);
        bytes.CopyTo(file, 8);
        File.WriteAllBytes(Path.Combine(copy.Path, "a.safetensors"), file);
        File.WriteAllText(Path.Combine(copy.Path, "model.safetensors.index.json"), """{"metadata": {}, "weight_map": {"fc.bias": "a.safetensors"}}""");

        var error = Assert.Throws<CheckpointException>(() => CheckpointFile.CheckReadable(copy.Path));
        Assert.Contains("shard 'a.safetensors': tensor 'fc.bias': its dtype F8_E4M3 is not one ProbeGrid reads", error.Message);
        Assert.Contains("convert it in PyTorch first", error.Message);
    }

    [Fact]
    public void A_TorchSharp_checkpoint_named_pt_is_still_read_as_one()
    {
        using var folder = new TempFolder();
        using var model = PyTorchWeightsFixture.NewModel();
        CheckpointFile.Load(model, fixture.File("sd.pt"));
        CheckpointFile.Save(model, folder.File("step-1.pt"));

        using var reloaded = PyTorchWeightsFixture.NewModel(seed: 5);
        var contents = CheckpointFile.Load(reloaded, folder.File("step-1.pt"));

        Assert.Equal(CheckpointFormat.TorchSharp, contents.Format);
        ModelState.AssertIdentical(model, reloaded);
    }
}
