using ProbeGrid.GrainsInterfaces.Results;
using ProbeGrid.GrainsInterfaces.Specs;
using ProbeGrid.GrainsInterfaces.Sweeps;

namespace ProbeGrid.GrainsInterfaces.Grains;

/// <summary>
/// The coordinator of one sweep (key: the sweep id). It validates and expands the spec, keeps
/// the plan and a compact record of finished units durable, dispatches units with bounded
/// concurrency per silo, retries units whose silo failed, and answers queries.
/// </summary>
public interface ISweepGrain : IGrainWithStringKey
{
    /// <summary>
    /// Starts the sweep, or resumes it when the same spec was submitted before (finished units
    /// are not recomputed). A different spec under an existing id, or a spec with problems, is
    /// rejected with every problem listed. Returns once planned; the units run in the background.
    /// </summary>
    /// <remarks>Planning reads the header and content hash of every checkpoint: hundreds of large files on a busy silo take minutes, not 30 s.</remarks>
    [ResponseTimeout("01:00:00")]
    Task<SubmitResult> Submit(SweepSpec spec);

    /// <summary>Resumes dispatching an unfinished sweep (after a restart); a no-op otherwise.</summary>
    Task<SweepStatus> Resume();

    Task<SweepStatus> GetStatus();

    /// <summary>Stops dispatching; units already running finish and keep their results.</summary>
    Task<SweepStatus> Cancel();

    /// <summary>
    /// A following sweep stops looking for checkpoints: what is planned finishes, then the sweep completes (checkpoints
    /// waiting under newest-first thinning are skipped). A no-op for a sweep that does not follow a run.
    /// </summary>
    Task<SweepStatus> Stop();

    /// <summary>Every checkpoint a following sweep took in, in the order they landed, with what became of each; empty otherwise.</summary>
    Task<ImmutableArray<FollowedCheckpoint>> GetFollowed();

    /// <summary>The newest checkpoint (in training order) whose units have all finished, with its headline metrics; null before any.</summary>
    Task<AnalysedCheckpoint?> GetNewestAnalysed();

    /// <summary>The submitted spec, or null for an unknown sweep.</summary>
    Task<SweepSpec?> GetSpec();

    /// <summary>Every metric value recorded so far, optionally only <paramref name="metric"/>.</summary>
    Task<ImmutableArray<MetricValue>> GetResults(string? metric = null);

    /// <summary>A curve derived from the results recorded so far.</summary>
    Task<Curve> GetCurve(CurveQuery query);

    Task<ImmutableArray<UnitFailure>> GetFailures();

    /// <summary>
    /// The per-pixel maps of the finished units that <paramref name="query"/> includes (the information-discarding
    /// analysis), read from the units each time: the sweep keeps only their metrics.
    /// </summary>
    Task<ImmutableArray<PixelMap>> GetMaps(MapQuery query);
}
