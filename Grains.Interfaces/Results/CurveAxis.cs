namespace ProbeGrid.GrainsInterfaces.Results;

/// <summary>
/// What a curve's x axis runs along: <see cref="Layer"/> gives one series per checkpoint
/// (error vs depth), <see cref="Checkpoint"/> one series per layer (error vs training time),
/// <see cref="Order"/> one series per checkpoint and layer (a complexity spectrum: a per-order metric vs the order l).
/// </summary>
public enum CurveAxis
{
    Layer,
    Checkpoint,
    Order,
}
