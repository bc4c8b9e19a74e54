namespace ProbeGrid.Analysis.Checkpoints;

/// <summary>
/// Where a tensor of a PyTorch zip pickle keeps its values: the zip entry of its storage (<c>archive/data/3</c>),
/// the storage's element count, and the tensor's view of it (element offset and strides), as
/// <c>torch._utils._rebuild_tensor_v2</c> receives them.
/// </summary>
internal sealed record PickledStorage(string Entry, long Elements, long Offset, long[] Strides)
{
    /// <summary>True when the tensor is the whole storage, row-major: its bytes are the entry's bytes.</summary>
    public bool IsWholeContiguous(long[] shape)
    {
        if (Offset != 0 || Strides.Length != shape.Length) return false;
        long expected = 1;
        for (var d = shape.Length - 1; d >= 0; d--)
        {
            if (shape[d] != 1 && Strides[d] != expected) return false;
            expected *= shape[d];
        }
        return expected == Elements;
    }
}
