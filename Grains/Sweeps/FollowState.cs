using ProbeGrid.GrainsInterfaces.Sweeps;

namespace ProbeGrid.Grains.Sweeps;

/// <summary>
/// The durable record of a following sweep's look at its training run: every checkpoint taken in (whole) and what
/// became of it, when the last one landed, and why following ended. Written with the plan in one state write, so a
/// restart never loses a checkpoint the plan holds nor takes one in twice. Grows by one entry per checkpoint landed.
/// </summary>
[GenerateSerializer]
public sealed class FollowState
{
    /// <summary>In the order they landed (training order); the plan's checkpoints are those <see cref="CheckpointFate.Planned"/>.</summary>
    [Id(0)] public List<FollowedCheckpoint> Landed { get; set; } = [];

    /// <summary>When the last checkpoint landed, or following began: the idle timeout counts from here.</summary>
    [Id(1)] public DateTime LastArrivalAt { get; set; }

    [Id(2)] public FollowEnd End { get; set; } = FollowEnd.None;

    [Id(3)] public DateTime? EndedAt { get; set; }

    /// <summary>
    /// The data roots of the client certificate that submitted the sweep (ProbeGrid:Silo:Clients), or null where clients have
    /// no roots of their own: checkpoints that land later are held to the same roots as the folder was at submit.
    /// </summary>
    [Id(4)] public List<string>? CallerRoots { get; set; }
}
