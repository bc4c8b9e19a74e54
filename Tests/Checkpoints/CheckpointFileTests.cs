using System.Buffers.Binary;
using System.Text;
using ProbeGrid.Analysis.Checkpoints;
using ProbeGrid.Analysis.Zoo;
using ProbeGrid.Tests.Zoo;
using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Tests.Checkpoints;

public class CheckpointFileTests
{
    private static readonly Dictionary<string, string> Small = new() { ["depth"] = "2", ["width"] = "6" };

    private static TappedModel Mlp(long seed, Dictionary<string, string>? parameters = null) =>
        ModelZoo.Create("mlp", parameters ?? Small, [5], 3, seed);

    [Theory]
    [InlineData("model.pt")]
    [InlineData("model.safetensors")]
    public void Round_trip_restores_identical_outputs(string fileName)
    {
        using var folder = new TempFolder();
        using var scope = torch.NewDisposeScope();
        using var original = Mlp(seed: 1);
        using var other = Mlp(seed: 2);
        var x = ModelState.RandomBatch(3, 4, 5);
        Assert.NotEqual(ModelState.Values(original.Forward(x, null)), ModelState.Values(other.Forward(x, null)));

        CheckpointFile.Save(original, folder.File(fileName));
        CheckpointFile.Load(other, folder.File(fileName));

        Assert.Equal(ModelState.Values(original.Forward(x, null)), ModelState.Values(other.Forward(x, null)));
        ModelState.AssertIdentical(original, other);
    }

    [Fact]
    public void Safetensors_content_is_recognised_whatever_the_extension()
    {
        using var folder = new TempFolder();
        using var original = Mlp(seed: 1);
        using var other = Mlp(seed: 2);
        SafetensorsFormat.Write(folder.File("weights.bin"), original.state_dict());
        CheckpointFile.Load(other, folder.File("weights.bin"));
        ModelState.AssertIdentical(original, other);
    }

    [Fact]
    public void Missing_extra_and_misshapen_tensors_are_all_named_in_one_exception()
    {
        using var folder = new TempFolder();
        using var scope = torch.NewDisposeScope();
        using var model = Mlp(seed: 1);
        var before = ModelState.Of(model);
        var tensors = model.state_dict().ToDictionary(p => p.Key, p => p.Value);
        tensors.Remove("hidden.1.bias");
        tensors["extra.weight"] = torch.zeros(2, 2);
        tensors["output.weight"] = torch.zeros(3, 7);
        var path = folder.File("bad.safetensors");
        SafetensorsFormat.Write(path, tensors);

        var error = Assert.Throws<CheckpointException>(() => CheckpointFile.Load(model, path));

        Assert.Equal(path, error.FilePath);
        Assert.Equal(3, error.Problems.Count);
        Assert.Contains(path, error.Message);
        Assert.Contains("missing tensor 'hidden.1.bias'", error.Message);
        Assert.Contains("unexpected tensor 'extra.weight'", error.Message);
        Assert.Contains("'output.weight': the model expects [3, 6], the file has [3, 7]", error.Message);
        Assert.Contains("Fix:", error.Message);
        Assert.Equal(before["hidden.0.weight"], ModelState.Of(model)["hidden.0.weight"]); // nothing copied
    }

    [Fact]
    public void A_TorchSharp_checkpoint_of_another_network_is_reported_whole()
    {
        using var folder = new TempFolder();
        using var deeper = Mlp(seed: 1, new() { ["depth"] = "3", ["width"] = "4" });
        using var model = Mlp(seed: 1);
        CheckpointFile.Save(deeper, folder.File("deeper.pt"));

        var error = Assert.Throws<CheckpointException>(() => CheckpointFile.Load(model, folder.File("deeper.pt")));

        Assert.Contains("unexpected tensor 'hidden.2.weight'", error.Message);
        Assert.Contains("unexpected tensor 'hidden.2.bias'", error.Message);
        Assert.Contains("'hidden.0.weight': the model expects [6, 5], the file has [4, 5]", error.Message);
        Assert.Contains("'output.weight': the model expects [3, 6], the file has [3, 4]", error.Message);
    }

    [Theory]
    [InlineData("model.pt", 0.5)]
    [InlineData("model.pt", 0.999)]
    [InlineData("model.pt", 0.01)]
    [InlineData("model.safetensors", 0.5)]
    [InlineData("model.safetensors", 0.999)]
    [InlineData("model.safetensors", 0.01)]
    public void A_truncated_file_is_a_CheckpointException(string fileName, double keptFraction)
    {
        using var folder = new TempFolder();
        using var model = Mlp(seed: 1);
        var path = folder.File(fileName);
        CheckpointFile.Save(model, path);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(int)(bytes.Length * keptFraction)]);

        var error = Assert.Throws<CheckpointException>(() => CheckpointFile.Load(model, path));
        Assert.Contains(path, error.Message);
        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public void A_missing_file_is_a_CheckpointException()
    {
        using var model = Mlp(seed: 1);
        var error = Assert.Throws<CheckpointException>(() => CheckpointFile.Load(model, "/nonexistent/step-1.pt"));
        Assert.Contains("/nonexistent/step-1.pt", error.Message);
        Assert.Contains("does not exist", error.Message);
    }

    [Fact]
    public void Garbage_is_a_CheckpointException()
    {
        using var folder = new TempFolder();
        using var model = Mlp(seed: 1);
        File.WriteAllText(folder.File("notes.pt"), "these are not weights at all");
        Assert.Throws<CheckpointException>(() => CheckpointFile.Load(model, folder.File("notes.pt")));
    }

    [Theory]
    [InlineData("F64")]
    [InlineData("F16")]
    [InlineData("BF16")]
    [InlineData("I64")]
    [InlineData("I32")]
    public void Safetensors_dtypes_are_converted_to_the_models(string dtype)
    {
        using var folder = new TempFolder();
        using var model = Mlp(seed: 1, new() { ["depth"] = "1", ["width"] = "2" });
        // Values every dtype represents exactly, so the conversion must reproduce them bit for bit.
        var state = model.state_dict();
        var tensors = state.ToDictionary(p => p.Key, p => (p.Value.shape, Values: Enumerable.Range(0, (int)p.Value.numel()).Select(i => (double)(i % 5) - 2).ToArray()));
        var path = folder.File("typed.safetensors");
        File.WriteAllBytes(path, HandWrittenSafetensors(tensors, dtype));

        CheckpointFile.Load(model, path);

        foreach (var (name, (_, values)) in tensors)
            Assert.Equal(values.Select(v => (float)v), ModelState.Of(model)[name]);
    }

    [Fact]
    public void Unsupported_dtypes_and_inconsistent_offsets_are_listed_together()
    {
        using var folder = new TempFolder();
        using var model = Mlp(seed: 1);
        var header = """{"a":{"dtype":"U16","shape":[1],"data_offsets":[0,2]},"b":{"dtype":"F32","shape":[2],"data_offsets":[0,4]},"c":{"dtype":"F32","shape":[1],"data_offsets":[4,8]},"__metadata__":{"x":"y"}}""";
        var path = folder.File("odd.safetensors");
        File.WriteAllBytes(path, Frame(header, new byte[8]));

        var error = Assert.Throws<CheckpointException>(() => CheckpointFile.Load(model, path));

        Assert.Contains("tensor 'a': its dtype U16 is not one ProbeGrid reads", error.Message);
        Assert.Contains("tensor 'b': its data_offsets do not span the bytes its shape and dtype need", error.Message);
        Assert.Equal(2, error.Problems.Count);
    }

    [Fact]
    public void Offsets_past_the_end_of_the_data_are_truncation()
    {
        using var folder = new TempFolder();
        using var model = Mlp(seed: 1);
        var path = folder.File("short.safetensors");
        File.WriteAllBytes(path, Frame("""{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}""", new byte[8]));
        var error = Assert.Throws<CheckpointException>(() => CheckpointFile.Load(model, path));
        Assert.Contains("tensor 'a': its data_offsets reach past the end of the data (8 bytes, from byte ", error.Message);
    }

    private static byte[] HandWrittenSafetensors(Dictionary<string, (long[] Shape, double[] Values)> tensors, string dtype)
    {
        var data = new MemoryStream();
        var entries = new List<string>();
        foreach (var (name, (shape, values)) in tensors)
        {
            var begin = data.Length;
            foreach (var v in values)
                data.Write(Encode(v, dtype));
            entries.Add($"\"{name}\":{{\"dtype\":\"{dtype}\",\"shape\":[{string.Join(",", shape)}],\"data_offsets\":[{begin},{data.Length}]}}");
        }
        return Frame("{" + string.Join(",", entries) + "}", data.ToArray());
    }

    private static byte[] Encode(double value, string dtype)
    {
        var bytes = new byte[dtype switch { "F64" or "I64" => 8, "I32" => 4, _ => 2 }];
        switch (dtype)
        {
            case "F64": BinaryPrimitives.WriteDoubleLittleEndian(bytes, value); break;
            case "F16": BinaryPrimitives.WriteHalfLittleEndian(bytes, (Half)value); break;
            case "BF16": BinaryPrimitives.WriteUInt16LittleEndian(bytes, (ushort)(BitConverter.SingleToUInt32Bits((float)value) >> 16)); break;
            case "I64": BinaryPrimitives.WriteInt64LittleEndian(bytes, (long)value); break;
            case "I32": BinaryPrimitives.WriteInt32LittleEndian(bytes, (int)value); break;
        }
        return bytes;
    }

    private static byte[] Frame(string header, byte[] data)
    {
        var headerBytes = Encoding.UTF8.GetBytes(header);
        var file = new byte[8 + headerBytes.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)headerBytes.Length);
        headerBytes.CopyTo(file, 8);
        data.CopyTo(file, 8 + headerBytes.Length);
        return file;
    }
}
