namespace ProbeGrid.Grains.Compute;

/// <summary>
/// The silo's compute executor: runs tensor work on its own threads with a bounded number of
/// slots and a memory budget. Grain turns only await it; they never run tensor math themselves.
/// </summary>
public interface IComputeExecutor
{
    /// <summary>
    /// Runs <paramref name="work"/> synchronously on an executor thread (inside its own TorchSharp
    /// dispose scope) once a slot and <see cref="ComputeRequest.EstimatedBytes"/> of the budget are free.
    /// </summary>
    /// <exception cref="ComputeBudgetException">the job needs more memory than the whole budget, or ran out of memory.</exception>
    /// <exception cref="SiloStoppingException">the silo shut down before or while the job ran.</exception>
    Task<T> Run<T>(ComputeRequest request, Func<ComputeContext, T> work, CancellationToken ct = default);

    /// <summary>
    /// True once the silo shuts down: running jobs see their cancellation, queued ones are dropped, and the
    /// cancellation they raise is the silo's, not the work's (see <see cref="SiloStoppingException"/>).
    /// </summary>
    bool IsStopping { get; }

    /// <summary>What the executor is doing now, for cluster status.</summary>
    ComputeUsage Usage { get; }
}
