namespace ProbeGrid.Grains.Analyses;

/// <summary>
/// One job serving every unit of a checkpoint (all the sweep's layers at once), started by the first unit that
/// asks; one that failed is started again by the next. Used on the grain's turns, so it is never started twice.
/// </summary>
internal sealed class CheckpointJob<T>
{
    private Task<T>? job;

    public Task<T> Get(Func<Task<T>> start) =>
        job is null or { IsCompleted: true, IsCompletedSuccessfully: false } ? job = start() : job;
}
