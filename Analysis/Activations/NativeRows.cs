using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.Activations;

/// <summary>
/// Builds a CPU tensor in native memory row by row, freed when it is disposed. torch.tensor(array) would keep the values in a
/// pinned managed copy that stays resident as garbage once the tensor is disposed (bench 'probe-memory' measured it).
/// </summary>
internal static class NativeRows
{
    /// <summary>Bytes of the staging block written through a span at a time (a span cannot pass 2 GiB).</summary>
    private const int BlockBytes = 16 << 20;

    /// <summary>Writes row <c>row</c> of the tensor into <c>target</c> (its <c>width</c> values).</summary>
    public delegate void RowWriter<T>(int row, Span<T> target) where T : unmanaged;

    /// <summary>A [rows, width] tensor of <paramref name="dtype"/> (whose element type is <typeparamref name="T"/>), outside any dispose scope.</summary>
    public static Tensor Write<T>(int rows, int width, ScalarType dtype, RowWriter<T> write) where T : unmanaged
    {
        using var scope = torch.NewDisposeScope();
        var result = torch.empty([rows, width], dtype);
        var blockRows = Math.Max(1, BlockBytes / Math.Max(Unsafe.SizeOf<T>() * width, 1));
        var block = torch.empty([Math.Min(blockRows, Math.Max(rows, 1)), width], dtype);
        var values = MemoryMarshal.Cast<byte, T>(block.bytes);
        for (var start = 0; start < rows; start += blockRows)
        {
            var count = Math.Min(blockRows, rows - start);
            for (var r = 0; r < count; r++) write(start + r, values.Slice(r * width, width));
            result.narrow(0, start, count).copy_(block.narrow(0, 0, count));
        }
        return result.DetachFromDisposeScope();
    }
}
