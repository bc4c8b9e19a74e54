namespace ProbeGrid.Analysis.Zoo.TorchVision;

/// <summary>
/// A classifier head that torchvision runs on an inner activation in training mode only (inception_v3's AuxLogits on
/// Mixed_6e's output, googlenet's aux1/aux2 on inception4a's and inception4d's): <see cref="Module"/> is its top-level
/// child, <see cref="Source"/> the module whose output it reads, and <see cref="LossWeight"/> its weight in the
/// training loss (task loss + weight x its own task loss).
/// </summary>
public sealed record AuxiliaryHead(string Module, string Source, double LossWeight)
{
    /// <summary>Whether a tap name lies in this head's module tree (the head itself, a descendant, or one's ":input").</summary>
    public bool Owns(string tap) =>
        tap == Module || tap.StartsWith(Module + ".", StringComparison.Ordinal) || tap.StartsWith(Module + HookedModel.InputSuffix, StringComparison.Ordinal);
}
