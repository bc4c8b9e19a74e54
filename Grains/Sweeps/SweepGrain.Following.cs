using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Runtime.Placement;
using ProbeGrid.Analysis.Checkpoints;
using ProbeGrid.Grains.Analyses;
using ProbeGrid.Grains.Compute;
using ProbeGrid.Grains.Placement;
using ProbeGrid.Grains.Planning;
using ProbeGrid.Grains.Units;
using ProbeGrid.GrainsInterfaces.Grains;
using ProbeGrid.GrainsInterfaces.Results;
using ProbeGrid.GrainsInterfaces.Specs;
using ProbeGrid.GrainsInterfaces.Sweeps;

namespace ProbeGrid.Grains.Sweeps;

/// <summary>The sweep coordinator's following of a training run: the look loop, the fate of what lands, and the status it reports.</summary>
public sealed partial class SweepGrain
{
    private Task? follower;
    private CheckpointArrivals? arrivals;
    private int settling;
    private string? lastLookProblem;

    /// <summary>The planner whose data roots hold what lands: the submitting client's when the cluster gives it its own.</summary>
    private SweepPlanner Looker(FollowState follow) =>
        follow.CallerRoots is { Count: > 0 } roots ? planner.WithRoots(new DataRoots(roots)) : planner;

    private FollowStatus? FollowingStatus()
    {
        if (planState.State.Follow is not { } follow || Plan is not { } plan) return null;
        var index = new UnitIndex(plan);
        var analysed = Enumerable.Range(0, plan.Checkpoints.Length).Count(c => CheckpointDone(index, c));
        int Count(CheckpointFate fate) => follow.Landed.Count(f => f.Fate == fate);
        var p = progress.State;
        var newest = p.NewestAnalysed >= 0 && p.NewestAnalysed < plan.Checkpoints.Length ? plan.Checkpoints[p.NewestAnalysed] : null;
        return new FollowStatus(follow.End, follow.Landed.Count, plan.Checkpoints.Length, analysed, Count(CheckpointFate.Duplicate), Count(CheckpointFate.Skipped),
            Count(CheckpointFate.Waiting) + plan.Checkpoints.Length - analysed, newest?.Name, newest?.Step,
            p.LagCount > 0 ? TimeSpan.FromSeconds(p.LastLagSeconds) : null, p.LagCount > 0 ? TimeSpan.FromSeconds(p.LagTotalSeconds / p.LagCount) : null,
            p.LagCount > 0 ? TimeSpan.FromSeconds(p.LagMaxSeconds) : null, follow.End == FollowEnd.None ? settling : 0);
    }

    private void StartFollowing()
    {
        if (Plan?.Spec.Follow is null || planState.State.Follow is not { End: FollowEnd.None } || progress.State.Phase != SweepPhase.Running) return;
        if (follower is { IsCompleted: false }) return;
        follower = Follow();
    }

    /// <summary>Looks at the run's folder every poll period until following ends; plans waiting checkpoints when the grid has room.</summary>
    private async Task Follow()
    {
        var spec = Plan!.Spec.Follow!;
        try
        {
            while (progress.State.Phase == SweepPhase.Running && !Stopping && planState.State.Follow is { End: FollowEnd.None } follow)
            {
                await LookOnce(write: true);
                if (planState.State.Follow.End != FollowEnd.None) break;
                await PlanWaiting();
                if (spec.IdleMinutes > 0 && DateTime.UtcNow - follow.LastArrivalAt >= TimeSpan.FromMinutes(spec.IdleMinutes))
                {
                    logger.LogInformation("Sweep {SweepId}: no checkpoint for {Minutes} min (follow.idleMinutes); it stops following", SweepId, spec.IdleMinutes);
                    await EndFollowing(FollowEnd.IdleTimeout);
                    break;
                }
                await Task.Delay(TimeSpan.FromSeconds(spec.PollSeconds));
            }
        }
        catch (Exception e) when (Stopping)
        {
            logger.LogDebug(e, "Sweep {SweepId}: following ended with the silo's shutdown", SweepId);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Sweep {SweepId}: following stopped unexpectedly; resubmit or call Resume to continue", SweepId);
        }
    }

    /// <summary>
    /// One look at the run's folder (on the executor's light lane), then, in this turn, the fate of each checkpoint that
    /// landed, the planned ones appended to the plan, and one state write. A problem with the folder is logged (once
    /// while it lasts) and the next look tries again: following goes on.
    /// </summary>
    private async Task LookOnce(bool write)
    {
        var plan = Plan!;
        var follow = planState.State.Follow!;
        arrivals ??= new CheckpointArrivals(TimeSpan.FromSeconds(plan.Spec.Follow!.SettleSeconds));
        var known = follow.Landed.Select(f => f.Checkpoint.Path!).ToHashSet(StringComparer.Ordinal);
        var lastStep = follow.Landed.Count > 0 ? follow.Landed.Max(f => f.Checkpoint.Step) : -1;
        var folder = plan.Spec.Model.Checkpoints!;
        var watch = arrivals;
        FolderLook look;
        try
        {
            look = await executor.Run(new ComputeRequest($"look for new checkpoints of sweep {SweepId}", 0, Light: true),
                _ => FolderLook.Take(Looker(follow), folder, known, watch, lastStep, DateTime.UtcNow));
            if (lastLookProblem is not null) logger.LogInformation("Sweep {SweepId}: its checkpoint folder {Folder} can be read again", SweepId, folder);
            lastLookProblem = null;
        }
        catch (Exception e) when (e is CheckpointException or IOException or UnauthorizedAccessException)
        {
            if (e.Message != lastLookProblem)
                logger.LogWarning("Sweep {SweepId}: cannot look for new checkpoints in {Folder}: {Problem}; following goes on and looks again", SweepId, folder, e.Message);
            lastLookProblem = e.Message;
            return;
        }
        settling = look.Settling;
        if (follow.End != FollowEnd.None) return; // stopped or cancelled while it looked: nothing more is taken in

        // Taken in on this turn, against what is known now (another look may have run meanwhile).
        var landedPaths = follow.Landed.Select(f => f.Checkpoint.Path!).ToHashSet(StringComparer.Ordinal);
        var added = new List<CheckpointRef>();
        foreach (var arrived in look.Arrived.Where(a => landedPaths.Add(a.Checkpoint.Path!)))
        {
            var fate = CheckpointSelection.Arrive(plan.Spec.Follow!.Thinning, follow.Landed, arrived.Checkpoint, arrived.LandedAt);
            follow.Landed.Add(fate);
            if (fate.Fate == CheckpointFate.Planned) added.Add(fate.Checkpoint);
            logger.LogInformation("Sweep {SweepId}: checkpoint {Checkpoint} (step {Step}) landed: {Fate}{Of}", SweepId, fate.Checkpoint.Name, fate.Checkpoint.Step,
                fate.Fate.ToString().ToLowerInvariant(), fate.DuplicateOf is null ? "" : $" of {fate.DuplicateOf} (same content)");
        }
        if (look.Arrived.Count > 0) follow.LastArrivalAt = DateTime.UtcNow;
        if (added.Count > 0) Append(added);
        if (write && look.Arrived.Count > 0) await SavePlan();
        if (added.Count > 0 && write) StartDispatching();
        if (look.TrainingFinished && write)
        {
            logger.LogInformation("Sweep {SweepId}: the training run has finished (index.json); it stops following", SweepId);
            await EndFollowing(FollowEnd.TrainingFinished);
        }
    }

    /// <summary>Newest-first: while fewer checkpoints are unfinished than the silos can run at once, the newest waiting one is planned.</summary>
    private async Task PlanWaiting()
    {
        if (planState.State.Follow is not { } follow || !follow.Landed.Any(f => f.Fate == CheckpointFate.Waiting)) return;
        var plan = Plan!;
        var index = new UnitIndex(plan);
        var unfinished = Enumerable.Range(0, plan.Checkpoints.Length).Count(c => !CheckpointDone(index, c));
        var capacity = Math.Max(1, CheckpointAffinityPlacementDirector.Able(ActiveSilos(), SiloCapabilities.RequirementOf(plan.Spec.Resources.Device), ServiceProvider).Count())
                       * options.Value.CheckpointsPerSilo;
        var next = CheckpointSelection.NextWaiting(follow.Landed, capacity - unfinished);
        if (next.Count == 0) return;
        await Refate(next.Select(i => (i, CheckpointFate.Planned)).ToList());
    }

    /// <summary>Following ends: waiting checkpoints are planned or skipped as <see cref="CheckpointSelection.AtEnd"/> says, and the sweep completes once every unit has an outcome.</summary>
    private async Task EndFollowing(FollowEnd end)
    {
        var follow = planState.State.Follow!;
        if (follow.End != FollowEnd.None) return;
        follow.End = end;
        follow.EndedAt = DateTime.UtcNow;
        await Refate(CheckpointSelection.AtEnd(follow.Landed, end));
        logger.LogInformation("Sweep {SweepId} stopped following ({End}): {Planned} of {Landed} checkpoints that landed are planned", SweepId, end, Plan!.Checkpoints.Length, follow.Landed.Count);
        if (!await CompleteIfDone()) StartDispatching();
    }

    /// <summary>Gives checkpoints that landed a new fate; those now planned are appended to the plan. One state write.</summary>
    private async Task Refate(IReadOnlyList<(int Position, CheckpointFate Fate)> changes)
    {
        var follow = planState.State.Follow!;
        var added = new List<CheckpointRef>();
        foreach (var (position, fate) in changes)
        {
            follow.Landed[position] = follow.Landed[position] with { Fate = fate };
            if (fate == CheckpointFate.Planned) added.Add(follow.Landed[position].Checkpoint);
        }
        if (added.Count > 0) Append(added);
        await SavePlan();
        if (added.Count > 0) StartDispatching();
    }

    /// <summary>Appends checkpoints to the plan: their units are numbered after every unit there (<see cref="SweepPlan.ByCheckpoint"/>).</summary>
    private void Append(IReadOnlyList<CheckpointRef> checkpoints)
    {
        var plan = Plan!;
        planState.State.Plan = plan with { Checkpoints = plan.Checkpoints.AddRange(checkpoints) };
        progress.State.Succeeded = ProgressBits.Grown(progress.State.Succeeded, Plan!.UnitCount);
    }
}
