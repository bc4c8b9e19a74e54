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

    public Task<SweepSpec?> GetSpecAsync(string sweepId) => Sweep(sweepId).GetSpec();

    public Task<ImmutableArray<string>> ListSweepsAsync() => grains.GetGrain<ISweepRegistryGrain>(0).List();

    /// <summary>Every metric value of the sweep so far, optionally only one metric.</summary>
    public Task<ImmutableArray<MetricValue>> GetResultsAsync(string sweepId, string? metric = null) => Sweep(sweepId).GetResults(metric);

    public Task<Curve> GetCurveAsync(string sweepId, CurveQuery query) => Sweep(sweepId).GetCurve(query);

    public Task<ImmutableArray<UnitFailure>> GetFailuresAsync(string sweepId) => Sweep(sweepId).GetFailures();

    /// <summary>The sweep's status every <paramref name="interval"/> until it finishes (the last item is the final status).</summary>
    public async IAsyncEnumerable<SweepStatus> WatchAsync(string sweepId, TimeSpan interval, [EnumeratorCancellation] CancellationToken ct = default)
    {
        while (true)
        {
            var status = await GetStatusAsync(sweepId);
            yield return status;
            if (status.IsFinished || status.Phase == SweepPhase.Unknown) yield break;
            await Task.Delay(interval, ct);
        }
    }

    private ISweepGrain Sweep(string sweepId) => grains.GetGrain<ISweepGrain>(sweepId);
}
