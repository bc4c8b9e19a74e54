namespace ProbeGrid.GrainsInterfaces.Specs;

/// <summary>
/// A sweep that follows a training run: after its first plan it keeps looking in the checkpoint folder and adds
/// each new checkpoint, once it is whole, to the plan in training order, until the run says it has finished
/// (index.json), the user stops it, or no checkpoint has come for <see cref="IdleMinutes"/>.
/// </summary>
/// <param name="Thinning">which of the checkpoints that land are analysed, and when.</param>
/// <param name="IdleMinutes">stop following after this long without a new checkpoint; 0: never.</param>
/// <param name="SettleSeconds">a file not listed in index.json is read once its size and modification time have not changed for this long.</param>
/// <param name="PollSeconds">how often the folder is looked at.</param>
[GenerateSerializer, Immutable]
public sealed record FollowSpec(
    [property: Id(0)] ThinningSpec Thinning,
    [property: Id(1)] double IdleMinutes,
    [property: Id(2)] double SettleSeconds,
    [property: Id(3)] double PollSeconds)
{
    public const double DefaultSettleSeconds = 30;
    public const double DefaultPollSeconds = 5;

    /// <summary><c>"follow": true</c>: every checkpoint, no idle timeout, the default settle and poll periods.</summary>
    public static FollowSpec Default { get; } = new(ThinningSpec.Every, 0, DefaultSettleSeconds, DefaultPollSeconds);
}

/// <summary>
/// Which checkpoints a following sweep analyses. <c>every</c>: all. <c>steps</c>: at most one per
/// <see cref="Interval"/> training steps; <c>minutes</c>: at most one per <see cref="Interval"/> minutes of training
/// (by when each was written); both skip the ones between for good, but always analyse the run's last. <c>newest-first</c>:
/// when the grid is behind, the newest checkpoint waiting goes next, and the gaps are filled as it catches up.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ThinningSpec(
    [property: Id(0)] string Kind,
    [property: Id(1)] double Interval)
{
    public const string EveryKind = "every";
    public const string StepsKind = "steps";
    public const string MinutesKind = "minutes";
    public const string NewestFirstKind = "newest-first";

    public static IReadOnlyList<string> Kinds { get; } = [EveryKind, StepsKind, MinutesKind, NewestFirstKind];

    public static ThinningSpec Every { get; } = new(EveryKind, 0);

    /// <summary>Its kind takes an interval (<c>steps</c>, <c>minutes</c>).</summary>
    public static bool HasInterval(string kind) => kind is StepsKind or MinutesKind;
}
