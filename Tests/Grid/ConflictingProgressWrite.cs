using Orleans.Storage;

namespace ProbeGrid.Tests.Grid;

/// <summary>
/// Grain storage whose <c>n</c>-th write of a sweep's progress lands but answers with a conflict and leaves the grain's ETag
/// as it was: what a lost answer or a second writer leaves behind. Every later write of that grain then conflicts for real,
/// until the grain reads its state again. Drops a file at <c>marker</c> when it has done so.
/// </summary>
internal sealed class ConflictingProgressWrite(IGrainStorage inner, int n, string marker) : IGrainStorage
{
    private int progressWrites;

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ReadStateAsync(stateName, grainId, grainState);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ClearStateAsync(stateName, grainId, grainState);

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var conflict = stateName == "progress" && Interlocked.Increment(ref progressWrites) == n;
        var etag = grainState.ETag;
        await inner.WriteStateAsync(stateName, grainId, grainState);
        if (!conflict) return;
        grainState.ETag = etag;
        await File.WriteAllTextAsync(marker, $"progress write {n} of {grainId} answered with a conflict");
        throw new InconsistentStateException($"test: progress write {n} of {grainId} answered with a conflict");
    }
}
