namespace ProbeGrid.GrainsInterfaces.Results;

/// <summary>
/// What a curve's x axis runs along: <see cref="Layer"/> gives one series per checkpoint
/// (error vs depth), <see cref="Checkpoint"/> one series per layer (error vs training time).
/// </summary>
public enum CurveAxis
{
    Layer,
    Checkpoint,
}
