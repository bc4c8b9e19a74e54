using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using ProbeGrid.GrainsInterfaces.Grains;
using ProbeGrid.GrainsInterfaces.Results;
using ProbeGrid.GrainsInterfaces.Specs;
using ProbeGrid.GrainsInterfaces.Sweeps;

namespace ProbeGrid.Client;

/// <summary>
/// The client SDK: submit sweeps, watch and cancel them, and query their results, curves and
/// failures. Works the same against the embedded grid and a cluster; it only needs a grain factory.
/// </summary>
public sealed class ProbeGridClient(IGrainFactory grains)
{
    /// <summary>
    /// Submits <paramref name="spec"/> as sweep <paramref name="sweepId"/> (relative paths resolved
    /// against <paramref name="baseDirectory"/>). Submitting the same spec again resumes the sweep.
    /// </summary>
    public Task<SubmitResult> SubmitAsync(SweepSpec spec, string sweepId, string? baseDirectory = null) =>
        Sweep(sweepId).Submit(SpecPaths.Absolutize(spec with { SweepId = sweepId }, baseDirectory ?? Directory.GetCurrentDirectory()));

    public Task<SweepStatus> GetStatusAsync(string sweepId) => Sweep(sweepId).GetStatus();

    public Task<SweepStatus> CancelAsync(string sweepId) => Sweep(sweepId).Cancel();

    /// <summary>A following sweep stops looking for checkpoints: what is planned finishes, then it completes. A no-op for other sweeps.</summary>
    public Task<SweepStatus> StopAsync(string sweepId) => Sweep(sweepId).Stop();

    /// <summary>Every checkpoint a following sweep took in, in the order they landed: analysed, duplicate (of which), skipped or waiting.</summary>
    public Task<ImmutableArray<FollowedCheckpoint>> GetFollowedAsync(string sweepId) => Sweep(sweepId).GetFollowed();

    /// <summary>The newest checkpoint (in training order) whose units have all finished, with each analysis's headline metric per layer; null before any.</summary>
    public Task<AnalysedCheckpoint?> GetNewestAnalysedAsync(string sweepId) => Sweep(sweepId).GetNewestAnalysed();

    /// <summary>Resumes dispatching an unfinished sweep (after its grid restarted).</summary>
    public Task<SweepStatus> ResumeAsync(string sweepId) => Sweep(sweepId).Resume();

    public Task<SweepSpec?> GetSpecAsync(string sweepId) => Sweep(sweepId).GetSpec();

    /// <summary>Every active silo's compute: capabilities, slots in use, units running and done, throughput.</summary>
    public async Task<ImmutableArray<SiloComputeStatus>> GetClusterStatusAsync()
    {
        var hosts = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        var statuses = await Task.WhenAll(hosts.Keys.Select(s => grains.GetGrain<ISiloComputeGrain>(s.ToParsableString()).GetStatus()));
        return [.. statuses.OrderBy(s => s.Silo, StringComparer.Ordinal)];
    }

    public Task<ImmutableArray<string>> ListSweepsAsync() => grains.GetGrain<ISweepRegistryGrain>(0).List();

    /// <summary>Every metric value of the sweep so far, optionally only one metric.</summary>
    public Task<ImmutableArray<MetricValue>> GetResultsAsync(string sweepId, string? metric = null) => Sweep(sweepId).GetResults(metric);

    public Task<Curve> GetCurveAsync(string sweepId, CurveQuery query) => Sweep(sweepId).GetCurve(query);

    public Task<ImmutableArray<UnitFailure>> GetFailuresAsync(string sweepId) => Sweep(sweepId).GetFailures();

    /// <summary>The per-pixel maps (input, SID, RU) of the sweep's finished information-discarding units that <paramref name="query"/> includes.</summary>
    public Task<ImmutableArray<PixelMap>> GetMapsAsync(string sweepId, MapQuery? query = null) => Sweep(sweepId).GetMaps(query ?? new MapQuery());

    /// <summary>
    /// The sweep's status every <paramref name="interval"/> until it finishes (the last item is the
    /// final status). A silo that dies while it is watched is ridden out: its sweep moves to another
    /// silo, and the watch retries for up to <see cref="WatchPatience"/> before it gives up.
    /// </summary>
    public async IAsyncEnumerable<SweepStatus> WatchAsync(string sweepId, TimeSpan interval, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var failingSince = (DateTime?)null;
        while (true)
        {
            SweepStatus status;
            try
            {
                status = await GetStatusAsync(sweepId);
                failingSince = null;
            }
            catch (Exception e) when (e is OrleansException or TimeoutException && !ct.IsCancellationRequested)
            {
                failingSince ??= DateTime.UtcNow;
                if (DateTime.UtcNow - failingSince > WatchPatience) throw;
                await Task.Delay(interval, ct);
                continue;
            }
            yield return status;
            if (status.IsFinished || status.Phase == SweepPhase.Unknown) yield break;
            await Task.Delay(interval, ct);
        }
    }

    /// <summary>
    /// Each checkpoint as it becomes the newest analysed (its units all finished), with its headline metrics, until the sweep
    /// finishes: the curves of a sweep that follows a training run, growing. Checked every <paramref name="interval"/>
    /// through <see cref="WatchAsync"/>; checkpoints finishing between two checks are reported as the newest of them.
    /// </summary>
    public async IAsyncEnumerable<AnalysedCheckpoint> WatchCheckpointsAsync(string sweepId, TimeSpan interval, [EnumeratorCancellation] CancellationToken ct = default)
    {
        string? last = null;
        await foreach (var status in WatchAsync(sweepId, interval, ct))
        {
            var newest = status.Follow?.NewestAnalysed;
            if (status.Follow is null && status.Done > 0 || newest is not null && newest != last)
            {
                if (await GetNewestAnalysedAsync(sweepId) is { } analysed && analysed.Checkpoint.Name != last)
                {
                    last = analysed.Checkpoint.Name;
                    yield return analysed;
                }
            }
        }
    }

    /// <summary>How long <see cref="WatchAsync"/> keeps retrying while the grid cannot answer.</summary>
    public static TimeSpan WatchPatience { get; } = TimeSpan.FromMinutes(2);

    private ISweepGrain Sweep(string sweepId) => grains.GetGrain<ISweepGrain>(sweepId);
}
