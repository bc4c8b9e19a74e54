namespace ProbeGrid.Analysis.Zoo.TorchVision;

/// <summary>
/// One module of a hooked network as a dry run of one sample saw it, for listings ("probegrid layers"): its path
/// (the tap name of its output; "PATH:input" taps its input), its module type, the per-sample shapes of its first
/// input and output (null when it never ran), how often it runs per forward (a tap needs exactly once), whether
/// <see cref="HookedModel.ForwardFrom"/> can start at its output, and whether it is one of the default taps.
/// </summary>
public sealed record TapInfo(string Path, string ModuleType, long[]? InputShape, long[]? OutputShape, int CallsPerForward, bool CanForwardFrom, bool IsDefaultTap)
{
    /// <summary>Whether the module's output (and input) can be tapped: it runs exactly once per forward.</summary>
    public bool IsTap => CallsPerForward == 1;
}
