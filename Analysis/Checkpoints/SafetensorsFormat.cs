using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.Checkpoints;

/// <summary>
/// The safetensors format (Hugging Face): an 8-byte little-endian header length, a JSON header
/// mapping each tensor name to its dtype, shape and [begin, end) byte offsets in the data that
/// follows, then the raw little-endian data. Reading accepts every dtype PyTorch writes that TorchSharp has
/// (F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL); writing produces F32, and I64 for integer tensors
/// (batch norm's step counter) so they load back.
/// </summary>
public static class SafetensorsFormat
{
    public const string Extension = ".safetensors";

    private const string MetadataKey = "__metadata__";
    private const long MaxHeaderBytes = 100L * 1024 * 1024;

    private const string UnreadableFix =
        "The file is truncated or corrupt (an interrupted download or copy?). Fetch or export it again; a valid file has an 8-byte header length, a JSON header and the data it describes.";

    private static readonly IReadOnlyDictionary<string, ScalarType> DTypes = new Dictionary<string, ScalarType>(StringComparer.Ordinal)
    {
        ["F32"] = ScalarType.Float32,
        ["F64"] = ScalarType.Float64,
        ["F16"] = ScalarType.Float16,
        ["BF16"] = ScalarType.BFloat16,
        ["I64"] = ScalarType.Int64,
        ["I32"] = ScalarType.Int32,
        ["I16"] = ScalarType.Int16,
        ["I8"] = ScalarType.Int8,
        ["U8"] = ScalarType.Byte,
        ["BOOL"] = ScalarType.Bool,
    };

    /// <summary>The format's dtypes that TorchSharp has no type for (float8 variants, unsigned 16-64 bit, complex).</summary>
    private static readonly HashSet<string> KnownUnreadDTypes = new(StringComparer.Ordinal)
    {
        "F8_E4M3", "F8_E5M2", "F8_E8M0", "F6_E2M3", "F6_E3M2", "F4", "U16", "U32", "U64", "C64",
    };

    /// <summary>True when the file starts like a safetensors file (header length that fits, then '{').</summary>
    public static bool LooksLikeSafetensors(string path)
    {
        using var stream = File.OpenRead(path);
        Span<byte> start = stackalloc byte[9];
        if (stream.ReadAtLeast(start, 9, throwOnEndOfStream: false) < 9)
            return false;
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(start);
        return start[8] == (byte)'{' && headerLength >= 2 && headerLength <= (ulong)(stream.Length - 8);
    }

    /// <summary>Every tensor in the file, converted to <paramref name="dtype"/> when given (else as stored).</summary>
    /// <exception cref="CheckpointException">The file is truncated, corrupt, or holds a dtype not read here.</exception>
    public static Dictionary<string, Tensor> Read(string path, ScalarType? dtype = null)
    {
        var layout = ReadLayout(path);
        using var stream = File.OpenRead(path);
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var stored in layout)
        {
            var tensor = stored.ReadFrom(stream);
            if (dtype is ScalarType target && target != tensor.dtype)
            {
                var converted = tensor.to(target);
                tensor.Dispose();
                tensor = converted;
            }
            tensors[stored.Name] = tensor;
        }
        return tensors;
    }

    /// <summary>Writes the tensors as F32, integer ones as I64 (converted, moved to the CPU), atomically.</summary>
    public static void Write(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors)
    {
        using var scope = torch.NewDisposeScope();
        // A model's integer buffers (num_batches_tracked) must stay integers: a float cannot be loaded into them.
        var entries = tensors.Select(t => (t.Key, Data: t.Value.detach()
            .to(t.Value.is_floating_point() ? ScalarType.Float32 : ScalarType.Int64, CPU).contiguous())).ToList();
        var duplicate = entries.GroupBy(e => e.Key).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"Tensor name '{duplicate.Key}' appears twice; safetensors names must be unique.", nameof(tensors));

        var header = new MemoryStream();
        using (var json = new Utf8JsonWriter(header))
        {
            json.WriteStartObject();
            json.WriteStartObject(MetadataKey);
            json.WriteString("format", "pt");
            json.WriteEndObject();
            long offset = 0;
            foreach (var (name, data) in entries)
            {
                var isFloat = data.dtype == ScalarType.Float32;
                var bytes = data.numel() * (isFloat ? sizeof(float) : sizeof(long));
                json.WriteStartObject(name);
                json.WriteString("dtype", isFloat ? "F32" : "I64");
                json.WriteStartArray("shape");
                foreach (var d in data.shape) json.WriteNumberValue(d);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + bytes);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += bytes;
            }
            json.WriteEndObject();
        }
        // The format pads the header with spaces so the data starts 8-byte aligned.
        while (header.Length % 8 != 0)
            header.WriteByte((byte)' ');

        AtomicFile.Write(path, stream =>
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
            stream.Write(length);
            header.Position = 0;
            header.CopyTo(stream);
            foreach (var (_, data) in entries)
                data.WriteBytesToStream(stream);
        });
    }

    /// <summary>Parses and checks the header: every problem with it is reported in one exception.</summary>
    internal static IReadOnlyList<StoredTensor> ReadLayout(string path)
    {
        using var stream = File.OpenRead(path);
        var fileLength = stream.Length;
        if (fileLength < 8)
            throw new CheckpointException(path, $"the file has {fileLength} bytes, fewer than the 8-byte header length: it is truncated.", UnreadableFix);
        Span<byte> lengthBytes = stackalloc byte[8];
        stream.ReadExactly(lengthBytes);
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (headerLength > (ulong)(fileLength - 8))
            throw new CheckpointException(path, $"the header length in bytes 0-7 is more than the {fileLength - 8} bytes that follow: the file is truncated (or not safetensors).", UnreadableFix);
        if (headerLength > MaxHeaderBytes)
            throw new CheckpointException(path, $"the header length in bytes 0-7 is more than the {MaxHeaderBytes} accepted: the file is corrupt.", UnreadableFix);

        var headerBytes = new byte[headerLength];
        stream.ReadExactly(headerBytes);
        var dataStart = 8 + (long)headerLength;
        var dataLength = fileLength - dataStart;

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(headerBytes);
        }
        catch (JsonException e)
        {
            // The parser's message quotes the character it stopped at: name the place instead.
            throw new CheckpointException(path, $"the JSON header (from byte 8) is not valid JSON at line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1} of that line: the file is corrupt or not safetensors.", UnreadableFix);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new CheckpointException(path, "the JSON header is not an object: the file is corrupt.", UnreadableFix);
            var problems = new List<string>();
            var tensors = new List<StoredTensor>();
            var index = 0;
            foreach (var entry in document.RootElement.EnumerateObject())
            {
                if (entry.Name == MetadataKey)
                    continue;
                if (ReadEntry(entry, index, dataStart, dataLength, problems) is StoredTensor tensor)
                    tensors.Add(tensor);
                index++;
            }
            // Tensors may not share bytes; checked on the valid entries, sorted by where they start.
            var sorted = tensors.OrderBy(t => t.Offset).ToList();
            for (var i = 1; i < sorted.Count; i++)
                if (sorted[i].Offset < sorted[i - 1].Offset + sorted[i - 1].ByteLength)
                    problems.Add($"tensors {TensorName.Describe(sorted[i - 1].Name, sorted[i - 1].Index)} and {TensorName.Describe(sorted[i].Name, sorted[i].Index)} overlap in the data.");
            if (problems.Count > 0)
                throw new CheckpointException(path, problems, UnreadableFix);
            return tensors;
        }
    }

    /// <summary>One header entry as a tensor, or null with its problems. Values from the file are never quoted: names only when they are parameter paths.</summary>
    private static StoredTensor? ReadEntry(JsonProperty entry, int index, long dataStart, long dataLength, List<string> problems)
    {
        var name = entry.Name;
        var tensor = "tensor " + TensorName.Describe(name, index);
        var value = entry.Value;
        if (value.ValueKind != JsonValueKind.Object
            || !value.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String
            || !value.TryGetProperty("shape", out var shapeElement) || shapeElement.ValueKind != JsonValueKind.Array
            || !value.TryGetProperty("data_offsets", out var offsetsElement) || offsetsElement.ValueKind != JsonValueKind.Array
            || offsetsElement.GetArrayLength() != 2)
        {
            problems.Add($"{tensor}: header entry lacks dtype, shape or data_offsets [begin, end].");
            return null;
        }
        var dtypeName = dtypeElement.GetString()!;
        if (!DTypes.TryGetValue(dtypeName, out var dtype))
        {
            // Named only when it is one of the format's own dtypes: the header may be anyone's bytes.
            var shown = KnownUnreadDTypes.Contains(dtypeName) ? $" {dtypeName}" : "";
            problems.Add($"{tensor}: its dtype{shown} is not one ProbeGrid reads (supported: {string.Join(", ", DTypes.Keys)}); " +
                "convert it in PyTorch first, e.g. {k: v.float() for k, v in state_dict.items()} for float8 or unsigned 16-64 bit tensors.");
            return null;
        }
        var shape = new List<long>();
        foreach (var d in shapeElement.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt64(out var size) || size < 0)
            {
                problems.Add($"{tensor}: its shape is not a list of non-negative integers.");
                return null;
            }
            shape.Add(size);
        }
        var offsets = offsetsElement.EnumerateArray().ToArray();
        if (!offsets[0].TryGetInt64(out var begin) || !offsets[1].TryGetInt64(out var end) || begin < 0 || end < begin)
        {
            problems.Add($"{tensor}: its data_offsets are not two integers with 0 <= begin <= end.");
            return null;
        }
        var expectedBytes = StoredTensor.ByteCount([.. shape], StoredTensor.ElementSize(dtype)!.Value);
        if (expectedBytes != end - begin)
        {
            problems.Add($"{tensor}: its data_offsets do not span the bytes its shape and dtype need.");
            return null;
        }
        if (end > dataLength)
        {
            problems.Add($"{tensor}: its data_offsets reach past the end of the data ({dataLength} bytes, from byte {dataStart}): the file is truncated.");
            return null;
        }
        return new StoredTensor(name, dtype, [.. shape], dataStart + begin, end - begin) { Index = index };
    }
}
