namespace ProbeGrid.Analysis.Activations;

/// <summary>
/// A tap whose activations were not all finite in one extraction: the first sample (row) that holds NaN or
/// infinity, that value, the split it was found in (when the caller names it) and the checkpoint's first
/// non-finite parameter, if any. Such a tap is never cached; only its own units fail.
/// </summary>
public sealed record NonFiniteTap(string Tap, long Sample, float Value, NonFiniteParameter? Parameter, string? Split = null)
{
    public string Describe()
    {
        var where = Split is null ? $"sample {Sample}" : $"{Split} sample {Sample}";
        var cause = Parameter is { } p
            ? $"the checkpoint's parameter {p.Name} holds {NonFiniteParameter.Describe(p.Value)} (element {p.Element})"
            : "every parameter of the checkpoint is finite, so the values overflow inside the network or the data holds them";
        return $"tap '{Tap}' produced {NonFiniteParameter.Describe(Value)} at {where}; {cause}";
    }
}
