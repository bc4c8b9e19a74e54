using System.Buffers.Binary;
using System.Text;
using ProbeGrid.Analysis.Checkpoints;
using ProbeGrid.Analysis.Zoo;
using TorchSharp;

namespace ProbeGrid.Tests.Checkpoints;

/// <summary>
/// A checkpoint path may point at anyone's file (a grid runs what users submit), so the messages about a file
/// that is not a checkpoint name the file, the offset and what was expected there, never what the file holds.
/// </summary>
public class CheckpointMessageTests
{
    private const string Secret = "db-password=hunter2 api-token=0123456789abcdef owner=root see /etc/shadow.";

    private static TappedModel Mlp() => ModelZoo.Create("mlp", new Dictionary<string, string> { ["depth"] = "2", ["width"] = "6" }, [5], 3, seed: 1);

    private static string LoadError(string path)
    {
        using var model = Mlp();
        return Assert.Throws<CheckpointException>(() => CheckpointFile.Load(model, path)).Message;
    }

    /// <summary>Every run of 4 or more printable ASCII characters in the file: none may appear in a message.</summary>
    private static IEnumerable<string> PrintableRuns(byte[] bytes) =>
        System.Text.RegularExpressions.Regex.Matches(Encoding.Latin1.GetString(bytes), "[\\x20-\\x7e]{4,}").Select(m => m.Value);

    private static void AssertQuotesNothingOf(byte[] file, string message)
    {
        foreach (var run in PrintableRuns(file))
            Assert.DoesNotContain(run, message);
    }

    [Fact]
    public void A_text_file_that_starts_like_a_tensor_header_is_described_by_offsets_not_by_its_text()
    {
        // As TorchSharp's reader sees it: 1 tensor, a name of 72 bytes (the secret), then a "dtype" that is text.
        using var folder = new TempFolder();
        var path = folder.File("notes.pt");
        byte[] file = [1, (byte)Secret.Length, .. Encoding.ASCII.GetBytes(Secret), .. "more private text follows"u8];
        File.WriteAllBytes(path, file);

        var message = LoadError(path);

        Assert.Contains(path, message);
        Assert.Contains($"tensor #1 (header at byte 1): the dtype code at byte {2 + Secret.Length} is not a dtype ProbeGrid reads", message);
        Assert.DoesNotContain("hunter2", message);
        AssertQuotesNothingOf(file, message);
    }

    [Fact]
    public void Random_bytes_never_reach_the_message()
    {
        using var folder = new TempFolder();
        var random = new Random(17);
        for (var trial = 0; trial < 300; trial++)
        {
            var file = new byte[random.Next(1, 400)];
            random.NextBytes(file);
            // Printable stretches, so that a quoted name would show.
            for (var i = 0; i < file.Length; i++) if (random.Next(3) > 0) file[i] = (byte)random.Next(0x21, 0x7f);
            var path = folder.File($"random-{trial}.pt");
            File.WriteAllBytes(path, file);

            AssertQuotesNothingOf(file, LoadError(path));
        }
    }

    [Fact]
    public void A_safetensors_header_that_is_not_json_is_placed_not_quoted()
    {
        using var folder = new TempFolder();
        var path = folder.File("x.safetensors");
        var header = Encoding.ASCII.GetBytes("{" + Secret + "}");
        var file = new byte[8 + header.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)header.Length);
        header.CopyTo(file, 8);
        File.WriteAllBytes(path, file);

        var message = LoadError(path);

        Assert.Contains("the JSON header (from byte 8) is not valid JSON at line 1, byte 2 of that line", message);
        AssertQuotesNothingOf(file, message);
    }

    [Fact]
    public void A_safetensors_entry_whose_name_is_not_a_parameter_path_is_named_by_its_place()
    {
        using var folder = new TempFolder();
        var path = folder.File("x.safetensors");
        var header = "{\"" + Secret + "\":{\"dtype\":\"Q9\",\"shape\":[\"x\"],\"data_offsets\":[0,4]}, \"layer.weight\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,0]}}";
        var bytes = Encoding.ASCII.GetBytes(header);
        var file = new byte[8 + bytes.Length + 8];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)bytes.Length);
        bytes.CopyTo(file, 8);
        File.WriteAllBytes(path, file);

        var message = LoadError(path);

        Assert.Contains("tensor #1 (whose name is not a parameter path, so it is not shown): its dtype is not one ProbeGrid reads", message);
        Assert.Contains("tensor 'layer.weight': its data_offsets are not two integers with 0 <= begin <= end", message);
        Assert.DoesNotContain("hunter2", message);
        Assert.DoesNotContain("Q9", message);
    }

    [Fact]
    public void An_unexpected_tensor_is_named_only_when_its_name_is_a_parameter_path()
    {
        using var folder = new TempFolder();
        using var scope = torch.NewDisposeScope();
        using var model = Mlp();
        var tensors = model.state_dict().ToDictionary(p => p.Key, p => p.Value);
        tensors[Secret] = torch.zeros(2);
        tensors["extra.weight"] = torch.zeros(2);
        var path = folder.File("extra.safetensors");
        SafetensorsFormat.Write(path, tensors);

        var message = Assert.Throws<CheckpointException>(() => CheckpointFile.Load(model, path)).Message;

        Assert.Contains("unexpected tensor 'extra.weight' (shape [2])", message);
        Assert.Contains("(whose name is not a parameter path, so it is not shown) that the model does not have", message);
        Assert.DoesNotContain("hunter2", message);
    }

    [Fact]
    public void A_truncated_TorchSharp_checkpoint_names_the_tensor_and_where_its_data_would_end()
    {
        using var folder = new TempFolder();
        using var model = Mlp();
        var path = folder.File("step-1.pt");
        CheckpointFile.Save(model, path);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length - 10)]);

        var message = LoadError(path);

        Assert.Matches(@"tensor #\d+ \(header at byte \d+\): its data, from byte \d+, runs past the end of the file at byte \d+: the file is truncated", message);
    }
}
