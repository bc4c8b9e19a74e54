using System.Text;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.Checkpoints;

/// <summary>
/// Reads the layout of a file written by TorchSharp's <c>module.save</c>: a 7-bit-encoded tensor
/// count, then per tensor a length-prefixed UTF-8 name, the dtype, the rank and each dimension
/// (7-bit encoded) and the raw little-endian bytes. Parsed here rather than by <c>module.load</c>
/// so that every mismatch can be listed before anything is copied.
/// </summary>
internal static class TorchSharpCheckpointFormat
{
    private const long MaxTensorCount = 10_000_000;
    private const long MaxRank = 64;

    private const string TruncatedFix =
        "The file is truncated or corrupt (an interrupted copy or write?). Copy it again from its source, or re-save it with CheckpointFile.Save.";

    public static IReadOnlyList<StoredTensor> ReadLayout(string path)
    {
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        var length = stream.Length;
        var tensors = new List<StoredTensor>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            var count = reader.Read7BitEncodedInt64();
            if (count < 0 || count > MaxTensorCount)
                throw Unreadable(path, $"the tensor count {count} is not plausible; this is not a TorchSharp checkpoint (or it is corrupt).");
            for (var i = 0; i < count; i++)
            {
                var name = reader.ReadString();
                var dtypeCode = reader.Read7BitEncodedInt64();
                var dtype = (ScalarType)dtypeCode;
                if (dtypeCode is < 0 or > 64 || StoredTensor.ElementSize(dtype) is not int elementSize)
                    throw Unreadable(path, $"tensor '{name}' (#{i + 1} of {count}) has unknown dtype code {dtypeCode}; the file is corrupt or not a TorchSharp checkpoint.");
                var rank = reader.Read7BitEncodedInt64();
                if (rank < 0 || rank > MaxRank)
                    throw Unreadable(path, $"tensor '{name}' (#{i + 1} of {count}) has implausible rank {rank}; the file is corrupt.");
                var shape = new long[rank];
                for (var d = 0; d < rank; d++)
                    shape[d] = reader.Read7BitEncodedInt64();
                var bytes = shape.All(d => d >= 0) ? StoredTensor.ByteCount(shape, elementSize) : null;
                if (bytes is not long byteLength)
                    throw Unreadable(path, $"tensor '{name}' has an impossible shape [{string.Join(", ", shape)}]; the file is corrupt.");
                var offset = stream.Position;
                if (offset + byteLength > length)
                    throw Unreadable(path, $"tensor '{name}' (#{i + 1} of {count}) needs {byteLength} bytes at offset {offset} but the file ends at byte {length}: the file is truncated.");
                if (!names.Add(name))
                    throw Unreadable(path, $"tensor '{name}' appears twice; the file is corrupt.");
                tensors.Add(new StoredTensor(name, dtype, shape, offset, byteLength));
                stream.Seek(byteLength, SeekOrigin.Current);
            }
            if (stream.Position != length)
                throw Unreadable(path, $"{length - stream.Position} unexpected bytes follow the last of its {count} tensors; the file is corrupt or not a TorchSharp checkpoint.");
        }
        catch (EndOfStreamException e)
        {
            throw new CheckpointException(path, $"the file ends in the middle of a tensor header (after {tensors.Count} complete tensors, at byte {length}): it is truncated.", TruncatedFix, e);
        }
        catch (Exception e) when (e is FormatException or IOException or OverflowException or ArgumentException)
        {
            throw new CheckpointException(path, $"cannot be parsed as a TorchSharp checkpoint after {tensors.Count} tensors ({e.Message}).", TruncatedFix, e);
        }
        return tensors;
    }

    private static CheckpointException Unreadable(string path, string problem) => new(path, problem, TruncatedFix);
}
