using Microsoft.Data.Sqlite;
using Orleans.Storage;
using ProbeGrid.Grains.Sweeps;
using ProbeGrid.GrainsInterfaces.Sweeps;
using ProbeGrid.Silo.Storage;
using ProbeGrid.Tests.Checkpoints;

namespace ProbeGrid.Tests.Storage;

public sealed class SqliteGrainStorageTests
{
    private static readonly BinaryGrainStorageSerializer Serializer = StorageSerializer.Instance;
    private static readonly GrainId Grain = GrainId.Create("sweep", "s1");

    [Fact]
    public async Task State_written_is_read_back_by_a_new_storage_on_the_same_file()
    {
        using var folder = new TempFolder();
        var path = folder.File("grid.db");
        var written = new GrainState<SweepProgressState>(new SweepProgressState { Phase = SweepPhase.Running, Succeeded = [0b101], SucceededCount = 2 });
        await new SqliteGrainStorage(path, Serializer).WriteStateAsync("progress", Grain, written);

        var read = new GrainState<SweepProgressState>(new SweepProgressState());
        await new SqliteGrainStorage(path, Serializer).ReadStateAsync("progress", Grain, read);

        Assert.True(read.RecordExists);
        Assert.Equal(written.ETag, read.ETag);
        Assert.NotNull(read.State);
        Assert.Equal(SweepPhase.Running, read.State.Phase);
        Assert.Equal([0b101], read.State.Succeeded);
        Assert.Equal(2, read.State.SucceededCount);
    }

    [Fact]
    public async Task A_missing_record_reads_as_absent_and_a_stale_etag_is_refused()
    {
        using var folder = new TempFolder();
        var storage = new SqliteGrainStorage(folder.File("grid.db"), Serializer);
        var missing = new GrainState<SweepProgressState>(new SweepProgressState());
        await storage.ReadStateAsync("progress", Grain, missing);
        Assert.False(missing.RecordExists);
        Assert.Null(missing.ETag);

        var first = new GrainState<SweepProgressState>(new SweepProgressState());
        await storage.WriteStateAsync("progress", Grain, first);
        var stale = new GrainState<SweepProgressState>(new SweepProgressState()) { ETag = first.ETag };
        await storage.WriteStateAsync("progress", Grain, first); // moves the ETag on
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("progress", Grain, stale));
        // A second activation that believes the record is new is refused too.
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("progress", Grain, new GrainState<SweepProgressState>(new SweepProgressState())));

        await storage.ClearStateAsync("progress", Grain, first);
        var cleared = new GrainState<SweepProgressState>(new SweepProgressState());
        await storage.ReadStateAsync("progress", Grain, cleared);
        Assert.False(cleared.RecordExists);
    }

    [Fact]
    public async Task A_state_file_from_a_newer_schema_is_refused_with_the_fix()
    {
        using var folder = new TempFolder();
        var path = folder.File("grid.db");
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"PRAGMA user_version = {SqliteGrainStorage.SchemaVersion + 1}";
            command.ExecuteNonQuery();
        }

        var error = await Assert.ThrowsAsync<StateStoreException>(() =>
            new SqliteGrainStorage(path, Serializer).ReadStateAsync("progress", Grain, new GrainState<SweepProgressState>(new SweepProgressState())));
        Assert.Contains("newer", error.Message);
        Assert.Contains("--state", error.Message);
    }

    [Fact]
    public async Task A_file_that_is_not_sqlite_is_refused_naming_the_file_and_the_fix_without_its_bytes()
    {
        using var folder = new TempFolder();
        var path = folder.File("grid.db");
        var bytes = new byte[8192];
        new Random(13).NextBytes(bytes);
        "SECRET-CONTENT"u8.CopyTo(bytes);
        await File.WriteAllBytesAsync(path, bytes);

        var error = await Assert.ThrowsAsync<StateStoreException>(() => new SqliteGrainStorage(path, Serializer).EnsureUsableAsync());
        Assert.Contains(path, error.Message);
        Assert.Contains("not a SQLite database", error.Message);
        Assert.Contains("--state", error.Message);
        Assert.DoesNotContain("SECRET", error.Message);
        Assert.DoesNotContain("\n", error.Message);
    }

    [Fact]
    public async Task Another_programs_sqlite_database_is_not_taken_for_state()
    {
        using var folder = new TempFolder();
        var path = folder.File("grid.db");
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE photos (id INTEGER)";
            command.ExecuteNonQuery();
        }

        var error = await Assert.ThrowsAsync<StateStoreException>(() => new SqliteGrainStorage(path, Serializer).EnsureUsableAsync());
        Assert.Contains("other tables", error.Message);
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public async Task A_damaged_payload_is_reported_with_the_grain_and_the_fix()
    {
        using var folder = new TempFolder();
        var path = folder.File("grid.db");
        var storage = new SqliteGrainStorage(path, Serializer);
        await storage.WriteStateAsync("progress", Grain, new GrainState<SweepProgressState>(new SweepProgressState()));
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE grain_state SET payload = x'DEADBEEF'";
            command.ExecuteNonQuery();
        }

        var error = await Assert.ThrowsAsync<InvalidDataException>(() =>
            storage.ReadStateAsync("progress", Grain, new GrainState<SweepProgressState>(new SweepProgressState())));
        Assert.Contains("progress", error.Message);
        Assert.Contains("sweep/s1", error.Message);
    }
}
