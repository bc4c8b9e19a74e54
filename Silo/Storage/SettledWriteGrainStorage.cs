using Orleans.Storage;

namespace ProbeGrid.Silo.Storage;

/// <summary>
/// A grain storage whose writes survive a lost answer. When a storage request is retried after its first try landed but its
/// answer was lost (a storage restart, a dropped connection), the retry carries the old ETag and is refused as a conflict.
/// Then the stored state is read back: if it is what this write meant to store, the write did happen and takes the new
/// ETag; otherwise the conflict is real and is raised. Without this the grain would keep its stale ETag and every later
/// write of it would fail until it deactivates.
/// </summary>
public sealed class SettledWriteGrainStorage(IGrainStorage inner, IGrainStorageSerializer serializer) : IGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ReadStateAsync(stateName, grainId, grainState);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ClearStateAsync(stateName, grainId, grainState);

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        try
        {
            await inner.WriteStateAsync(stateName, grainId, grainState);
        }
        catch (InconsistentStateException)
        {
            if (await StoredAsync(stateName, grainId, grainState) is not { } stored) throw;
            grainState.ETag = stored.ETag;
            grainState.RecordExists = true;
        }
    }

    /// <summary>The stored state when it holds exactly what <paramref name="grainState"/> holds, else null.</summary>
    private async Task<IGrainState<T>?> StoredAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var stored = new GrainState<T>();
        try
        {
            await inner.ReadStateAsync(stateName, grainId, stored);
        }
        catch (Exception)
        {
            return null; // cannot tell: the conflict stands
        }
        if (!stored.RecordExists || stored.ETag is null) return null;
        var meant = serializer.Serialize(grainState.State).ToMemory();
        var found = serializer.Serialize(stored.State).ToMemory();
        return meant.Span.SequenceEqual(found.Span) ? stored : null;
    }
}
