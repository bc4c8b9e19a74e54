using System.Text;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.Checkpoints;

/// <summary>
/// Reads the layout of a file written by TorchSharp's <c>module.save</c>: a 7-bit-encoded tensor
/// count, then per tensor a length-prefixed UTF-8 name, the dtype, the rank and each dimension
/// (7-bit encoded) and the raw little-endian bytes. Parsed here rather than by <c>module.load</c>
/// so that every mismatch can be listed before anything is copied. A file that does not parse is
/// described by offsets and what was expected there, never by what it holds (see <see cref="TensorName"/>).
/// </summary>
internal static class TorchSharpCheckpointFormat
{
    private const long MaxTensorCount = 10_000_000;
    private const long MaxRank = 64;

    private const string TruncatedFix =
        "The file is truncated or corrupt (an interrupted copy or write?), or is not a checkpoint. Copy it again from its source, or re-save it with CheckpointFile.Save.";

    public static IReadOnlyList<StoredTensor> ReadLayout(string path)
    {
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        var length = stream.Length;
        var tensors = new List<StoredTensor>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        long header = 0; // where the part being read starts, for the messages
        try
        {
            var count = reader.Read7BitEncodedInt64();
            if (count < 0 || count > MaxTensorCount)
                throw Unreadable(path, $"the tensor count at byte 0 is not between 0 and {MaxTensorCount:N0}: this is not a TorchSharp checkpoint (or it is corrupt).");
            for (var i = 0; i < count; i++)
            {
                header = stream.Position;
                var tensor = $"tensor #{i + 1} (header at byte {header})";
                var name = reader.ReadString();
                var dtypeAt = stream.Position;
                var dtypeCode = reader.Read7BitEncodedInt64();
                var dtype = (ScalarType)dtypeCode;
                if (dtypeCode is < 0 or > 64 || StoredTensor.ElementSize(dtype) is not int elementSize)
                    throw Unreadable(path, $"{tensor}: the dtype code at byte {dtypeAt} is not a dtype ProbeGrid reads; the file is corrupt or not a TorchSharp checkpoint.");
                var rankAt = stream.Position;
                var rank = reader.Read7BitEncodedInt64();
                if (rank < 0 || rank > MaxRank)
                    throw Unreadable(path, $"{tensor}: the rank at byte {rankAt} is not between 0 and {MaxRank}; the file is corrupt.");
                var shapeAt = stream.Position;
                var shape = new long[rank];
                for (var d = 0; d < rank; d++)
                    shape[d] = reader.Read7BitEncodedInt64();
                var bytes = shape.All(d => d >= 0) ? StoredTensor.ByteCount(shape, elementSize) : null;
                if (bytes is not long byteLength)
                    throw Unreadable(path, $"{tensor}: the shape at byte {shapeAt} is not a list of non-negative sizes whose product fits in 64 bits; the file is corrupt.");
                var offset = stream.Position;
                if (offset + byteLength > length)
                    throw Unreadable(path, $"{tensor}: its data, from byte {offset}, runs past the end of the file at byte {length}: the file is truncated.");
                if (!names.Add(name))
                    throw Unreadable(path, $"{tensor} has the name of an earlier tensor; the file is corrupt.");
                tensors.Add(new StoredTensor(name, dtype, shape, offset, byteLength) { Index = i });
                stream.Seek(byteLength, SeekOrigin.Current);
            }
            if (stream.Position != length)
                throw Unreadable(path, $"{length - stream.Position} unexpected bytes follow the last tensor (from byte {stream.Position}); the file is corrupt or not a TorchSharp checkpoint.");
        }
        catch (EndOfStreamException e)
        {
            throw new CheckpointException(path, $"the file ends at byte {length}, inside the header of tensor #{tensors.Count + 1} (which starts at byte {header}): it is truncated.", TruncatedFix, e);
        }
        catch (Exception e) when (e is FormatException or IOException or OverflowException or ArgumentException)
        {
            // The reader's own message may quote what it read: name the place instead.
            throw new CheckpointException(path, $"the header of tensor #{tensors.Count + 1}, from byte {header}, is not a TorchSharp tensor header (a name, a dtype, a rank and sizes): this is not a TorchSharp checkpoint, or it is corrupt.", TruncatedFix);
        }
        return tensors;
    }

    private static CheckpointException Unreadable(string path, string problem) => new(path, problem, TruncatedFix);
}
