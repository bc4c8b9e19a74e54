using System.Buffers.Binary;
using System.Text.Json;
using ProbeGrid.Analysis.Checkpoints;
using ProbeGrid.Tests.Zoo;
using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Tests.Checkpoints;

public class SafetensorsFormatTests
{
    [Fact]
    public void Write_then_read_round_trips_names_shapes_and_values()
    {
        using var folder = new TempFolder();
        using var scope = torch.NewDisposeScope();
        var tensors = new Dictionary<string, Tensor>
        {
            ["layer.weight"] = ModelState.RandomBatch(1, 3, 4),
            ["layer.bias"] = ModelState.RandomBatch(2, 3),
            ["scalar"] = torch.tensor(2.5f),
            ["empty"] = torch.zeros(0, 5),
            ["doubles"] = torch.tensor(new[] { 1.5, -2.25 }), // written as F32
        };
        var path = folder.File("t.safetensors");

        SafetensorsFormat.Write(path, tensors);
        var read = SafetensorsFormat.Read(path);

        Assert.Equal(tensors.Keys.Order(), read.Keys.Order());
        foreach (var (name, tensor) in tensors)
        {
            Assert.Equal(tensor.shape, read[name].shape);
            Assert.Equal(ScalarType.Float32, read[name].dtype);
            Assert.Equal(ModelState.Values(tensor.to(ScalarType.Float32)), ModelState.Values(read[name]));
        }
        foreach (var t in read.Values) t.Dispose();
    }

    [Fact]
    public void Integer_tensors_are_written_as_i64_and_read_back_exactly()
    {
        using var folder = new TempFolder();
        using var scope = torch.NewDisposeScope();
        var path = folder.File("t.safetensors");
        var big = (1L << 40) + 3; // not representable as a float
        SafetensorsFormat.Write(path, new Dictionary<string, Tensor> { ["bn.num_batches_tracked"] = torch.tensor(big), ["w"] = torch.ones(2) });

        var read = SafetensorsFormat.Read(path);
        Assert.Equal(ScalarType.Int64, read["bn.num_batches_tracked"].dtype);
        Assert.Equal(big, read["bn.num_batches_tracked"].item<long>());
        Assert.Equal(ScalarType.Float32, read["w"].dtype);
        foreach (var t in read.Values) t.Dispose();
    }

    [Fact]
    public void The_file_follows_the_format_header_length_json_and_aligned_data()
    {
        using var folder = new TempFolder();
        using var scope = torch.NewDisposeScope();
        var path = folder.File("t.safetensors");
        SafetensorsFormat.Write(path, new Dictionary<string, Tensor> { ["a"] = torch.tensor(new[] { 1f, 2f, 3f }) });

        var bytes = File.ReadAllBytes(path);
        var headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0, (8 + headerLength) % 8);
        using var header = JsonDocument.Parse(bytes.AsMemory(8, headerLength));
        var entry = header.RootElement.GetProperty("a");
        Assert.Equal("F32", entry.GetProperty("dtype").GetString());
        Assert.Equal([3], entry.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal([0, 12], entry.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(2f, BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(8 + headerLength + 4)));
        Assert.Equal(8 + headerLength + 12, bytes.Length);
    }

    [Fact]
    public void Read_converts_to_a_requested_dtype()
    {
        using var folder = new TempFolder();
        using var scope = torch.NewDisposeScope();
        var path = folder.File("t.safetensors");
        SafetensorsFormat.Write(path, new Dictionary<string, Tensor> { ["a"] = torch.tensor(new[] { 0.5f, -1f }) });
        var read = SafetensorsFormat.Read(path, ScalarType.Float64);
        Assert.Equal(ScalarType.Float64, read["a"].dtype);
        Assert.Equal([0.5, -1.0], read["a"].data<double>().ToArray());
        read["a"].Dispose();
    }

    [Fact]
    public void A_header_that_is_not_json_is_a_CheckpointException()
    {
        using var folder = new TempFolder();
        var path = folder.File("t.safetensors");
        var file = new byte[8 + 6];
        BinaryPrimitives.WriteUInt64LittleEndian(file, 6);
        "{nope}"u8.CopyTo(file.AsSpan(8));
        File.WriteAllBytes(path, file);
        var error = Assert.Throws<CheckpointException>(() => SafetensorsFormat.Read(path));
        Assert.Contains("the JSON header (from byte 8) is not valid JSON at line 1, byte 2 of that line", error.Message);
        Assert.DoesNotContain("nope", error.Message);
        Assert.DoesNotContain("'n'", error.Message);
    }
}
