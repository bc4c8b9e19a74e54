using Orleans.Storage;
using ProbeGrid.Grains.Sweeps;
using ProbeGrid.GrainsInterfaces.Sweeps;
using ProbeGrid.Silo.Storage;
using ProbeGrid.Tests.Checkpoints;

namespace ProbeGrid.Tests.Storage;

/// <summary>
/// A write whose answer was lost (its first try landed, the SDK's retry carried the old ETag) is settled by reading the
/// state back; a real conflict still fails. The inner storage is SQLite's, which checks ETags as blobs do.
/// </summary>
public sealed class SettledWriteGrainStorageTests
{
    private static readonly BinaryGrainStorageSerializer Serializer = StorageSerializer.Instance;
    private static readonly GrainId Grain = GrainId.Create("sweep", "s1");

    private static SweepProgressState Progress(int done) => new() { Phase = SweepPhase.Running, Succeeded = [(byte)((1 << done) - 1)], SucceededCount = done };

    [Fact]
    public async Task A_write_that_landed_before_its_answer_was_lost_succeeds_with_the_stored_etag_and_the_next_write_goes_through()
    {
        using var folder = new TempFolder();
        var inner = new SqliteGrainStorage(folder.File("grid.db"), Serializer);
        var storage = new SettledWriteGrainStorage(inner, Serializer);
        var state = new GrainState<SweepProgressState>(Progress(1));
        await storage.WriteStateAsync("progress", Grain, state);
        var before = state.ETag;

        // The first try of the next write lands (another handle on the same record), then its retry arrives with the old ETag.
        state.State = Progress(2);
        var landed = new GrainState<SweepProgressState>(Progress(2)) { ETag = before, RecordExists = true };
        await inner.WriteStateAsync("progress", Grain, landed);
        await Assert.ThrowsAsync<InconsistentStateException>(() => inner.WriteStateAsync("progress", Grain, new GrainState<SweepProgressState>(Progress(2)) { ETag = before, RecordExists = true }));
        await storage.WriteStateAsync("progress", Grain, state);
        Assert.Equal(landed.ETag, state.ETag);
        Assert.NotEqual(before, state.ETag);

        state.State = Progress(3);
        await storage.WriteStateAsync("progress", Grain, state);
        var read = new GrainState<SweepProgressState>();
        await inner.ReadStateAsync("progress", Grain, read);
        Assert.Equal(3, read.State!.SucceededCount);
        Assert.Equal(state.ETag, read.ETag);
    }

    [Fact]
    public async Task A_real_conflict_is_still_refused_and_leaves_the_other_write_in_place()
    {
        using var folder = new TempFolder();
        var inner = new SqliteGrainStorage(folder.File("grid.db"), Serializer);
        var storage = new SettledWriteGrainStorage(inner, Serializer);
        var state = new GrainState<SweepProgressState>(Progress(1));
        await storage.WriteStateAsync("progress", Grain, state);

        var other = new GrainState<SweepProgressState>(Progress(4)) { ETag = state.ETag, RecordExists = true };
        await inner.WriteStateAsync("progress", Grain, other);
        state.State = Progress(2);
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("progress", Grain, state));

        var read = new GrainState<SweepProgressState>();
        await inner.ReadStateAsync("progress", Grain, read);
        Assert.Equal(4, read.State!.SucceededCount);
    }
}
