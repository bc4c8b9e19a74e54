using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Runtime.Placement;
using ProbeGrid.Analysis.Checkpoints;
using ProbeGrid.Grains.Access;
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

/// <summary>
/// The coordinator of one sweep. Reentrant so status queries answer while units run; all its
/// code still runs one turn at a time, so its fields need no locks.
/// </summary>
/// <remarks>
/// Long units: the coordinator awaits each unit call, whose interface method carries a
/// response timeout of days (<see cref="ILayerAnalysisGrain.Run"/>). If the unit's silo dies,
/// Orleans fails the pending call at once, and the unit is re-dispatched.
/// Following a training run: a loop looks at the run's folder every follow.pollSeconds on the executor's
/// light lane (never in a turn), takes in what landed whole (<see cref="CheckpointSelection"/> decides its
/// fate), appends the planned ones to the plan in one state write, and wakes the dispatcher.
/// </remarks>
[Reentrant]
public sealed partial class SweepGrain(
    [PersistentState("plan", StorageNames.State)] IPersistentState<SweepPlanState> planState,
    [PersistentState("progress", StorageNames.State)] IPersistentState<SweepProgressState> progress,
    SweepPlanner planner,
    AnalysisRegistry analyses,
    IComputeExecutor executor,
    IClusterMembershipService membership,
    IOptions<SweepOptions> options,
    ILogger<SweepGrain> logger,
    CallerRoots callerRoots) : Grain, ISweepGrain, IRemindable
{
    /// <summary>Wakes a running sweep after a cluster restart, every <see cref="SweepOptions.KeepRunningPeriod"/>.</summary>
    private const string KeepRunningReminder = "keep-running";

    private readonly Dictionary<int, ImmutableArray<MetricValue>> results = [];
    private readonly CompletionRate rate = new();
    private Task? dispatcher;
    private bool deactivating;
    /// <summary>A state write failed: this activation's state may differ from the stored one, so it gives way to a fresh one.</summary>
    private bool reloading;
    private readonly CoalescingWrite progressWrites = new(() => progress.WriteStateAsync());
    private readonly CoalescingWrite planWrites = new(() => planState.WriteStateAsync());
    private int running;

    private string SweepId => this.GetPrimaryKeyString();

    /// <summary>The activation deactivates, or its silo shuts down: dispatch ends and nothing more is recorded.</summary>
    private bool Stopping => deactivating || executor.IsStopping;

    private SweepPlan? Plan => planState.State.Plan;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (Plan is { Settings.IsDefault: true } old)
        {
            // Stored before plans kept the analyses' typed settings: read them once more from its spec, and keep them.
            try
            {
                var settings = await executor.Run(new ComputeRequest($"read the analyses' settings of sweep {SweepId}", 0, Light: true), _ => planner.SettingsOf(old));
                planState.State.Plan = old with { Settings = settings };
                await planState.WriteStateAsync(cancellationToken);
            }
            catch (SpecException e)
            {
                // Its status and results stay readable; only running more of it needs the settings.
                logger.LogError("Sweep {SweepId} was planned by an older version and its analyses cannot be read here ({Problems}): it will not run further; " +
                                "submit its spec under a new sweepId", SweepId, string.Join("; ", e.Problems));
            }
        }
        // A following sweep's plan may have grown after its progress was last written.
        if (Plan is not null) progress.State.Succeeded = ProgressBits.Grown(progress.State.Succeeded, Plan.UnitCount);
        if (options.Value.ResumeOnActivation && Plan is not null && progress.State.Phase == SweepPhase.Running)
        {
            logger.LogInformation("Sweep {SweepId} resumes on {Silo}: {Done} of {Total} units done", SweepId, RuntimeIdentity, progress.State.SucceededCount, Plan.UnitCount);
            StartDispatching();
            StartFollowing();
        }
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // Units still in flight are lost with this activation; their bits stay clear, so the next activation runs them.
        deactivating = true;
        // Orleans holds a call to a deactivating grain for its next activation, which reads the stored state and resumes;
        // should that fail too (storage still down), the keep-running reminder tries again each KeepRunningPeriod (a minute by default).
        if (reloading) this.AsReference<ISweepGrain>().Resume().Ignore();
        return Task.CompletedTask;
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (Plan is not null && progress.State.Phase == SweepPhase.Running)
        {
            StartDispatching();
            StartFollowing();
        }
        else await UnregisterKeepRunning();
    }

    public async Task<SubmitResult> Submit(SweepSpec spec)
    {
        if (spec.SweepId is not null && spec.SweepId != SweepId)
            return Rejected($"the spec's sweepId '{spec.SweepId}' differs from the sweep it was submitted to ('{SweepId}')");
        // A client limited to its own data roots (ProbeGrid:Silo:Clients) has its spec judged by them.
        var caller = await callerRoots.OfCurrentCallAsync();
        if (caller.Refusal is { } refusal) return Rejected(refusal);
        var callerPlanner = caller.Roots is { } roots ? planner.WithRoots(roots) : planner;

        if (Plan is not null)
        {
            if (planState.State.SpecFingerprint != SpecFingerprint.Of(spec))
                return Rejected($"sweep '{SweepId}' already exists with a different spec: give this spec another sweepId (or leave sweepId out to get one made from the file)");
            // The spec is the same, but the checkpoint folder may not be: results must never stand for files they did not see.
            var planned = Plan;
            var changed = await executor.Run(new ComputeRequest($"re-check the checkpoints of sweep {SweepId}", 0, Light: true), _ => CheckpointChanges.Refusal(planned!, spec, callerPlanner));
            if (changed.Count > 0) return new SubmitResult(false, changed.ToImmutableArray(), Status());
            // The same spec again: resume, and give failed units another chance (the cause may be fixed).
            progress.State.Failures.Clear();
            if (planState.State.Follow is { End: FollowEnd.Cancelled } cancelledFollow)
            {
                // Cancelling ended its following; resuming the sweep resumes that too.
                cancelledFollow.End = FollowEnd.None;
                cancelledFollow.EndedAt = null;
                cancelledFollow.LastArrivalAt = DateTime.UtcNow;
                await SavePlan();
            }
            if (progress.State.Phase != SweepPhase.Completed || progress.State.SucceededCount < Plan.UnitCount)
                progress.State.Phase = SweepPhase.Running;
            await SaveProgress();
            if (progress.State.Phase == SweepPhase.Running) await RegisterKeepRunning();
            StartDispatching();
            StartFollowing();
            return new SubmitResult(true, [], Status());
        }

        SweepPlan plan;
        try
        {
            plan = await executor.Run(new ComputeRequest($"plan sweep {SweepId}", 0, Light: true), _ => callerPlanner.Plan(spec, SweepId));
        }
        catch (SpecException e)
        {
            var problems = e.Problems.ToImmutableArray();
            if (caller.Roots is { } own)
                problems = problems.Add($"the certificate {caller.Client} may read only {own.Describe()} (ProbeGrid:Silo:Clients of the cluster)");
            return new SubmitResult(false, problems, SweepStatus.Unknown(SweepId));
        }

        planState.State = new SweepPlanState { Plan = plan, SpecFingerprint = SpecFingerprint.Of(spec), SubmittedAt = DateTime.UtcNow };
        if (spec.Follow is not null)
        {
            // The checkpoints already there go through the same look, thinning and duplicate check as those that land later.
            planState.State.Plan = plan = plan with { Checkpoints = [] };
            planState.State.Follow = new FollowState { LastArrivalAt = DateTime.UtcNow, CallerRoots = caller.Roots?.Roots.ToList() };
            progress.State = new SweepProgressState { Phase = SweepPhase.Running };
            await LookOnce(write: false);
            plan = Plan!;
        }
        await SavePlan();
        progress.State = new SweepProgressState { Phase = SweepPhase.Running, Succeeded = ProgressBits.Create(plan.UnitCount) };
        await SaveProgress();
        await GrainFactory.GetGrain<ISweepRegistryGrain>(0).Register(SweepId);
        await RegisterKeepRunning();
        logger.LogInformation("Sweep {SweepId} submitted: {Checkpoints} checkpoints x {Layers} layers x {Analyses} analyses x {Repeats} repeats = {Units} units{Following}",
            SweepId, plan.Checkpoints.Length, plan.Layers.Length, spec.Analyses.Length, spec.Repeats, plan.UnitCount,
            spec.Follow is null ? "" : $"; following {spec.Model.Checkpoints} for more (thinning {spec.Follow.Thinning.Kind})");
        StartDispatching();
        StartFollowing();
        return new SubmitResult(true, [], Status());
    }

    public Task<SweepStatus> Resume()
    {
        if (Plan is not null && progress.State.Phase == SweepPhase.Running)
        {
            StartDispatching();
            StartFollowing();
        }
        return Task.FromResult(Status());
    }

    public Task<SweepStatus> GetStatus() => Task.FromResult(Status());

    public async Task<SweepStatus> Cancel()
    {
        if (progress.State.Phase == SweepPhase.Running)
        {
            progress.State.Phase = SweepPhase.Cancelled;
            progress.State.FinishedAt = DateTime.UtcNow;
            await SaveProgress();
            if (planState.State.Follow is { End: FollowEnd.None } follow)
            {
                follow.End = FollowEnd.Cancelled;
                follow.EndedAt = DateTime.UtcNow;
                await SavePlan();
            }
            logger.LogInformation("Sweep {SweepId} cancelled with {Done} of {Total} units done", SweepId, progress.State.SucceededCount, Plan?.UnitCount);
            await UnregisterKeepRunning();
        }
        return Status();
    }

    public async Task<SweepStatus> Stop()
    {
        if (progress.State.Phase == SweepPhase.Running && planState.State.Follow is { End: FollowEnd.None })
            await EndFollowing(FollowEnd.Stopped);
        return Status();
    }

    public Task<ImmutableArray<FollowedCheckpoint>> GetFollowed() =>
        Task.FromResult(planState.State.Follow?.Landed.ToImmutableArray() ?? []);

    public async Task<AnalysedCheckpoint?> GetNewestAnalysed()
    {
        if (Plan is not { } plan || progress.State.NewestAnalysed is var c && (c < 0 || c >= plan.Checkpoints.Length)) return null;
        var index = new UnitIndex(plan);
        var units = Enumerable.Range(0, plan.Spec.Repeats).SelectMany(r => index.OfCheckpoint(r, c))
            .Where(i => ProgressBits.Get(progress.State.Succeeded, i)).ToList();
        foreach (var (i, outcome) in await StoredOutcomes.Read(GrainFactory, SweepId, index, units.Where(i => !results.ContainsKey(i)), 256)) results[i] = outcome.Metrics;
        // Each analysis's headline: the first metric it plots.
        var headlines = plan.Spec.Analyses.Select(a => analyses.TryGet(a.Kind, out var kind) ? kind.Plots.Curves.FirstOrDefault() : null).OfType<string>().ToHashSet();
        var values = units.Where(results.ContainsKey).SelectMany(i => results[i]).Where(v => headlines.Contains(v.Metric))
            .OrderBy(v => v.Metric, StringComparer.Ordinal).ThenBy(v => v.Repeat).ThenBy(v => v.LayerIndex).ToImmutableArray();
        return new AnalysedCheckpoint(plan.Checkpoints[c], LandedAt(plan.Checkpoints[c]), values);
    }

    public Task<SweepSpec?> GetSpec() => Task.FromResult(Plan?.Spec);

    public async Task<ImmutableArray<MetricValue>> GetResults(string? metric = null)
    {
        if (Plan is null) return [];
        var index = new UnitIndex(Plan);
        var missing = Enumerable.Range(0, index.Count)
            .Where(i => ProgressBits.Get(progress.State.Succeeded, i) && !results.ContainsKey(i)).ToList();
        // Results live with their units; fetch those this activation has not seen.
        foreach (var (i, outcome) in await StoredOutcomes.Read(GrainFactory, SweepId, index, missing, 256)) results[i] = outcome.Metrics;
        return results.OrderBy(r => r.Key).SelectMany(r => r.Value)
            .Where(v => metric is null || v.Metric == metric).ToImmutableArray();
    }

    public async Task<Curve> GetCurve(CurveQuery query) =>
        CurveBuilder.Build((await GetResults(query.Metric)).Where(query.Includes), query.Metric, query.Along);

    public async Task<ImmutableArray<PixelMap>> GetMaps(MapQuery query)
    {
        if (Plan is null) return [];
        var index = new UnitIndex(Plan);
        // Only units that can hold maps, of the checkpoints and layers asked for; maps are large, so they are not cached here.
        var units = Enumerable.Range(0, index.Count)
            .Where(i => ProgressBits.Get(progress.State.Succeeded, i) && analyses.Get(index.Analysis(i)).HasMaps)
            .Where(i => (query.Checkpoints.IsDefaultOrEmpty || query.Checkpoints.Contains(index.Key(i).Checkpoint))
                        && (query.Layers.IsDefaultOrEmpty || query.Layers.Contains(index.Key(i).Layer)));
        var outcomes = await StoredOutcomes.Read(GrainFactory, SweepId, index, units, 64);
        return outcomes.Where(o => !o.Outcome.Maps.IsDefault).SelectMany(o => o.Outcome.Maps.Where(query.Includes)).ToImmutableArray();
    }

    public Task<ImmutableArray<UnitFailure>> GetFailures() =>
        Task.FromResult(progress.State.Failures.OrderBy(f => f.Key).Select(f => f.Value).ToImmutableArray());

    private void StartDispatching()
    {
        if (dispatcher is { IsCompleted: false }) return;
        rate.DispatchStarted();
        dispatcher = Dispatch();
    }

    /// <summary>
    /// Starts checkpoints (all their unfinished units at once) in training order, at most
    /// <see cref="SweepOptions.CheckpointsPerSilo"/> per silo: each on the first silo in its
    /// rendezvous order that has a free slot, passed to placement as a hint, so checkpoints spread
    /// over the silos and a new silo gets work within a second. When an analysis follows the previous
    /// checkpoint (a warm start), a checkpoint waits for the one before it in its repeat.
    /// </summary>
    private async Task Dispatch()
    {
        var plan = Plan!;
        if (plan.Settings.IsDefault) return; // an older plan whose settings could not be read (logged at activation)
        var index = new UnitIndex(plan);
        var inOrder = plan.Settings.Any(s => analyses.Get(s.Kind).FollowsPreviousCheckpoint(s));
        var groups = new List<(int Repeat, int Checkpoint)>();
        var inFlight = new Dictionary<(int Repeat, int Checkpoint), (Task Task, SiloAddress Silo)>();
        var requirement = SiloCapabilities.RequirementOf(plan.Spec.Resources.Device);
        var warnedNoSilo = false;

        try
        {
            while (progress.State.Phase == SweepPhase.Running && !Stopping)
            {
                // A following sweep's plan grows: checkpoints appended keep their numbers, so only new groups are added.
                if (groups.Count != Plan!.Checkpoints.Length * plan.Spec.Repeats)
                {
                    plan = Plan!;
                    index = new UnitIndex(plan);
                    groups = (from c in Enumerable.Range(0, plan.Checkpoints.Length)
                              from r in Enumerable.Range(0, plan.Spec.Repeats)
                              select (Repeat: r, Checkpoint: c)).ToList();
                }
                foreach (var done in inFlight.Where(g => g.Value.Task.IsCompleted).Select(g => g.Key).ToList())
                {
                    if (inFlight[done].Task.Exception is { } failed && !Stopping)
                        logger.LogError(failed.GetBaseException(), "Sweep {SweepId}: recording checkpoint {Checkpoint} failed; its unrecorded units run again",
                            SweepId, plan.Checkpoints[done.Checkpoint].Name);
                    inFlight.Remove(done);
                }

                var silos = CheckpointAffinityPlacementDirector.Able(ActiveSilos(), requirement, ServiceProvider).ToList();
                if (silos.Count == 0 && !warnedNoSilo)
                {
                    logger.LogWarning("Sweep {SweepId} waits for a silo able to run it (resources.device = {Device})", SweepId, plan.Spec.Resources.Device);
                    warnedNoSilo = true;
                }
                var load = silos.ToDictionary(s => s, s => inFlight.Values.Count(f => f.Silo.Equals(s)));
                var waiting = groups.Where(g => !inFlight.ContainsKey(g) && !Finished(index, g.Repeat, g.Checkpoint)).ToList();
                if (waiting.Count == 0 && inFlight.Count == 0) break;

                foreach (var g in waiting)
                {
                    if (inOrder && g.Checkpoint > 0 && !Finished(index, g.Repeat, g.Checkpoint - 1)) continue;
                    // The checkpoint's first choice by rendezvous hash, else the next with a free slot.
                    var key = GrainKeys.Checkpoint(SweepId, plan.Checkpoints[g.Checkpoint].Name, g.Repeat);
                    var silo = silos.OrderByDescending(s => RendezvousHash.Weight(key, CheckpointAffinityPlacementDirector.SiloName(s)))
                        .FirstOrDefault(s => load[s] < options.Value.CheckpointsPerSilo);
                    if (silo is null) break;
                    load[silo]++;
                    inFlight[g] = (RunCheckpoint(plan, index, g.Repeat, g.Checkpoint, silo), silo);
                }

                // Wake when a checkpoint finishes, or after a while to notice silos joining or leaving.
                await Task.WhenAny(inFlight.Values.Select(f => f.Task).Append(Task.Delay(TimeSpan.FromSeconds(1))));
            }
            if (inFlight.Count > 0) await Task.WhenAll(inFlight.Values.Select(f => f.Task));
        }
        catch (Exception e) when (Stopping)
        {
            logger.LogDebug(e, "Sweep {SweepId}: dispatching ended with the silo's shutdown", SweepId);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Sweep {SweepId}: dispatching stopped unexpectedly; resubmit or call Resume to continue", SweepId);
        }
    }

    private async Task RunCheckpoint(SweepPlan plan, UnitIndex index, int repeat, int checkpoint, SiloAddress silo)
    {
        var units = index.OfCheckpoint(repeat, checkpoint).Where(i => !IsFinished(i)).ToList();
        var layers = units.Select(index.Layer).Distinct().OrderBy(l => l.Index).ToImmutableArray();
        var work = plan.WorkFor(checkpoint, repeat, layers);
        await Task.WhenAll(units.Select(i => RunUnit(index, i, work, silo)));
    }

    /// <summary>Runs one unit until it has an outcome (see <see cref="UnitAttempts"/>) and records it, unless the silo stops first.</summary>
    private async Task RunUnit(UnitIndex index, int unit, CheckpointWork work, SiloAddress silo)
    {
        // Placement hint for the unit and, as the request context flows on, its checkpoint grain.
        RequestContext.Set(IPlacementDirector.PlacementHintKey, silo);
        if (SiloCapabilities.RequirementOf(work.Spec.Resources.Device) is { } requirement) RequestContext.Set(SiloCapabilities.RequirementKey, requirement);
        var key = index.Key(unit);
        var grain = GrainFactory.GetGrain<ILayerAnalysisGrain>(GrainKeys.Unit(SweepId, key));
        var ran = await new UnitAttempts(options.Value, membership, logger, () => Stopping).Run(SweepId, key, () => grain.Run(work, index.Layer(unit), index.Analysis(unit)), delta => running += delta);
        if (ran is { } r && !Stopping) await Record(unit, r.Outcome, r.Attempts);
    }

    /// <summary>Records a unit's outcome once: a second delivery for a finished unit changes nothing.</summary>
    private async Task Record(int unit, UnitOutcome outcome, int attempts)
    {
        var plan = Plan!;
        progress.State.Succeeded = ProgressBits.Grown(progress.State.Succeeded, plan.UnitCount);
        if (ProgressBits.Get(progress.State.Succeeded, unit)) return;
        var index = new UnitIndex(plan);
        var checkpoint = index.Checkpoint(unit);
        var checkpointWasDone = CheckpointDone(index, checkpoint);
        if (outcome.Succeeded)
        {
            ProgressBits.Set(progress.State.Succeeded, unit);
            progress.State.SucceededCount++;
            progress.State.Failures.Remove(unit);
            results[unit] = outcome.Metrics;
            rate.Completed();
        }
        else
        {
            progress.State.Failures[unit] = new UnitFailure(outcome.Key, outcome.Error!, attempts, outcome.Silo);
        }

        if (!checkpointWasDone && CheckpointDone(index, checkpoint)) CheckpointAnalysed(plan, checkpoint);
        if (await CompleteIfDone()) return;
        await SaveProgress();
    }

    /// <summary>Every unit has an outcome and no more will be planned (a following sweep has stopped following): the sweep completes.</summary>
    private async Task<bool> CompleteIfDone()
    {
        var plan = Plan!;
        if (progress.State.SucceededCount + progress.State.Failures.Count < plan.UnitCount || progress.State.Phase != SweepPhase.Running
            || planState.State.Follow is { End: FollowEnd.None })
            return false;
        progress.State.Phase = SweepPhase.Completed;
        progress.State.FinishedAt = DateTime.UtcNow;
        logger.LogInformation("Sweep {SweepId} completed: {Succeeded} units succeeded, {Failed} failed",
            SweepId, progress.State.SucceededCount, progress.State.Failures.Count);
        await SaveProgress();
        await UnregisterKeepRunning();
        return true;
    }

    /// <summary>All units of <paramref name="checkpoint"/> (every repeat) have an outcome: it is the newest analysed when no later one is, and a following sweep counts its lag.</summary>
    private void CheckpointAnalysed(SweepPlan plan, int checkpoint)
    {
        var newest = progress.State.NewestAnalysed;
        if (newest < 0 || newest >= plan.Checkpoints.Length || plan.Checkpoints[checkpoint].Step >= plan.Checkpoints[newest].Step)
            progress.State.NewestAnalysed = checkpoint;
        if (LandedAt(plan.Checkpoints[checkpoint]) is not { } landed) return;
        var lag = Math.Max(0, (DateTime.UtcNow - landed).TotalSeconds);
        progress.State.LagCount++;
        progress.State.LagTotalSeconds += lag;
        progress.State.LagMaxSeconds = Math.Max(progress.State.LagMaxSeconds, lag);
        progress.State.LastLagSeconds = lag;
        logger.LogInformation("Sweep {SweepId}: checkpoint {Checkpoint} (step {Step}) analysed {Lag:F1} s after it landed",
            SweepId, plan.Checkpoints[checkpoint].Name, plan.Checkpoints[checkpoint].Step, lag);
    }

    private bool CheckpointDone(UnitIndex index, int checkpoint) =>
        Enumerable.Range(0, Plan!.Spec.Repeats).All(r => Finished(index, r, checkpoint));

    /// <summary>When a following sweep's checkpoint landed; null for other sweeps.</summary>
    private DateTime? LandedAt(CheckpointRef checkpoint) =>
        planState.State.Follow?.Landed.FirstOrDefault(f => f.Checkpoint.Path == checkpoint.Path && f.Fate == CheckpointFate.Planned)?.LandedAt;

    private Task RegisterKeepRunning() =>
        this.RegisterOrUpdateReminder(KeepRunningReminder, options.Value.KeepRunningPeriod, options.Value.KeepRunningPeriod);

    private async Task UnregisterKeepRunning()
    {
        if (await this.GetReminder(KeepRunningReminder) is { } reminder) await this.UnregisterReminder(reminder);
    }

    private bool IsFinished(int unit) => ProgressBits.Get(progress.State.Succeeded, unit) || progress.State.Failures.ContainsKey(unit);

    private bool Finished(UnitIndex index, int repeat, int checkpoint) => index.OfCheckpoint(repeat, checkpoint).All(IsFinished);

    /// <summary>Writes progress, coalescing: completions that arrive during a write go into the next one.</summary>
    private Task SaveProgress() => ReloadIfFails(progressWrites.Request(), "progress");

    /// <summary>Writes the plan and what following took in, coalescing likewise.</summary>
    private Task SavePlan() => ReloadIfFails(planWrites.Request(), "plan");

    /// <summary>
    /// A failed write leaves the state in memory ahead of storage, and after a conflict its ETag stale, so that every later
    /// write would fail too. The activation then stops and deactivates; the next one reads the stored state and resumes, and
    /// units recorded here but not stored run again, their unit grains answering with the outcomes they keep.
    /// </summary>
    private async Task ReloadIfFails(Task write, string state)
    {
        try
        {
            await write;
        }
        catch (Exception e) when (!Stopping)
        {
            logger.LogError(e, "Sweep {SweepId}: writing its {State} failed ({Cause}); the sweep reloads its stored state and resumes",
                SweepId, state, e.GetBaseException().Message);
            reloading = deactivating = true;
            DeactivateOnIdle();
            throw;
        }
    }

    private List<SiloAddress> ActiveSilos() =>
        membership.CurrentSnapshot.Members.Values.Where(m => m.Status == SiloStatus.Active).Select(m => m.SiloAddress).ToList();

    private SweepStatus Status()
    {
        if (Plan is null) return SweepStatus.Unknown(SweepId);
        return new SweepStatus(SweepId, progress.State.Phase, Plan.UnitCount, progress.State.SucceededCount, progress.State.Failures.Count, running,
            planState.State.SubmittedAt, progress.State.FinishedAt, progress.State.Phase == SweepPhase.Running ? rate.PerMinute() : 0)
        {
            Follow = FollowingStatus(),
        };
    }

    private SubmitResult Rejected(string problem) => new(false, [problem], Status());
}
