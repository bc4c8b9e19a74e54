using System.Globalization;
using Microsoft.Data.Sqlite;
using Orleans.Storage;

namespace ProbeGrid.Silo.Storage;

/// <summary>
/// Grain state in one SQLite file: the embedded default's durable storage, so a local sweep
/// survives the process. One row per (state name, grain); optimistic concurrency by an integer
/// ETag; payloads through the grid's storage serializer (Orleans' binary format); WAL journal with full sync, so a
/// killed process loses no acknowledged write. The file's schema version is PRAGMA user_version.
/// Microsoft.Data.Sqlite's async methods complete synchronously, so every operation runs on the
/// thread pool: an fsync must not stall the grain scheduler.
/// </summary>
public sealed class SqliteGrainStorage(string path, IGrainStorageSerializer serializer) : IGrainStorage
{
    public const int SchemaVersion = 1;

    private readonly string connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true }.ToString();
    private readonly SemaphoreSlim initialization = new(1, 1);
    private bool initialized;

    public string Path { get; } = System.IO.Path.GetFullPath(path);

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        Task.Run(() => Read(stateName, grainId, grainState));

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        Task.Run(() => Write(stateName, grainId, grainState));

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        Task.Run(() => Clear(stateName, grainId, grainState));

    private async Task Read<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT etag, payload FROM grain_state WHERE state_name = $name AND grain_id = $id";
        command.Parameters.AddWithValue("$name", stateName);
        command.Parameters.AddWithValue("$id", grainId.ToString());
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            grainState.RecordExists = false;
            grainState.ETag = null;
            return;
        }
        var payload = (byte[])reader["payload"];
        try
        {
            grainState.State = serializer.Deserialize<T>(new BinaryData(payload));
        }
        catch (Exception e)
        {
            throw new InvalidDataException(
                $"the stored state '{stateName}' of {grainId} in {Path} cannot be read ({e.Message}): it was written by an incompatible ProbeGrid version or is damaged; " +
                "use a fresh --state folder, or delete that row", e);
        }
        grainState.ETag = reader.GetInt64(0).ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    private async Task Write<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var payload = serializer.Serialize(grainState.State).ToArray();
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.Parameters.AddWithValue("$name", stateName);
        command.Parameters.AddWithValue("$id", grainId.ToString());
        command.Parameters.AddWithValue("$payload", payload);
        command.Parameters.AddWithValue("$now", DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture));
        long etag;
        if (grainState.ETag is null)
        {
            command.CommandText = "INSERT INTO grain_state (state_name, grain_id, etag, payload, updated_at) VALUES ($name, $id, 1, $payload, $now) ON CONFLICT DO NOTHING";
            etag = 1;
        }
        else
        {
            var current = long.Parse(grainState.ETag, CultureInfo.InvariantCulture);
            command.CommandText = "UPDATE grain_state SET etag = etag + 1, payload = $payload, updated_at = $now WHERE state_name = $name AND grain_id = $id AND etag = $etag";
            command.Parameters.AddWithValue("$etag", current);
            etag = current + 1;
        }
        if (await command.ExecuteNonQueryAsync() != 1)
            throw new InconsistentStateException($"state '{stateName}' of {grainId} was changed by another activation since it was read", "unknown", grainState.ETag ?? "none");
        grainState.ETag = etag.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    private async Task Clear<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM grain_state WHERE state_name = $name AND grain_id = $id";
        command.Parameters.AddWithValue("$name", stateName);
        command.Parameters.AddWithValue("$id", grainId.ToString());
        await command.ExecuteNonQueryAsync();
        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    private async Task<SqliteConnection> OpenAsync()
    {
        if (!initialized) await InitializeAsync();
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA synchronous = FULL; PRAGMA busy_timeout = 10000;";
        await pragma.ExecuteNonQueryAsync();
        return connection;
    }

    private async Task InitializeAsync()
    {
        await initialization.WaitAsync();
        try
        {
            if (initialized) return;
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            await using var connection = new SqliteConnection(connectionString);
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA user_version";
            var version = Convert.ToInt32(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
            if (version > SchemaVersion)
                throw new InvalidOperationException(
                    $"the state file {Path} has schema version {version}, newer than this ProbeGrid's {SchemaVersion}: upgrade ProbeGrid or use another --state folder");
            command.CommandText = $"""
                PRAGMA journal_mode = WAL;
                CREATE TABLE IF NOT EXISTS grain_state (
                    state_name TEXT NOT NULL,
                    grain_id TEXT NOT NULL,
                    etag INTEGER NOT NULL,
                    payload BLOB NOT NULL,
                    updated_at TEXT NOT NULL,
                    PRIMARY KEY (state_name, grain_id));
                PRAGMA user_version = {SchemaVersion};
                """;
            await command.ExecuteNonQueryAsync();
            initialized = true;
        }
        finally
        {
            initialization.Release();
        }
    }
}
