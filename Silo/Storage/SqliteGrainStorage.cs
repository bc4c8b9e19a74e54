using System.Globalization;
using Microsoft.Data.Sqlite;
using Orleans.Storage;

namespace ProbeGrid.Silo.Storage;

/// <summary>
/// Grain state in one SQLite file: the embedded default's durable storage, so a local sweep
/// survives the process. One row per (state name, grain); optimistic concurrency by an integer
/// ETag; payloads through the grid's storage serializer (Orleans' binary format); WAL journal with full sync, so a
/// killed process loses no acknowledged write. The file's schema version is PRAGMA user_version.
/// Microsoft.Data.Sqlite's async methods complete synchronously, so the file I/O runs on the
/// thread pool: an fsync must not stall the grain scheduler.
/// </summary>
/// <remarks>
/// Everything that touches the grain's state object happens on the caller's turn: a write
/// serialises the state before its I/O leaves for the thread pool, and a read assigns the state
/// and ETag after coming back. A reentrant grain (the sweep) changes its state while a write is
/// in flight; serialising it off its scheduler raced with those changes ("Collection was
/// modified", or a torn snapshot persisted).
/// </remarks>
public sealed class SqliteGrainStorage(string path, IGrainStorageSerializer serializer) : IGrainStorage
{
    public const int SchemaVersion = 1;

    private readonly string connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true }.ToString();
    private readonly SemaphoreSlim initialization = new(1, 1);
    private bool initialized;

    public string Path { get; } = System.IO.Path.GetFullPath(path);

    /// <summary>Opens the file (creating it if absent) and checks it now, so a bad file is reported before any grain uses it.</summary>
    /// <exception cref="StateStoreException">the file is not a SQLite database, is damaged, has a newer schema or cannot be written.</exception>
    public Task EnsureUsableAsync() => Task.Run(async () => { await using var connection = await OpenAsync(); });

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var grain = grainId.ToString();
        var row = await Task.Run(() => ReadRow(stateName, grain));
        if (row is null)
        {
            grainState.RecordExists = false;
            grainState.ETag = null;
            return;
        }
        T state;
        try
        {
            state = serializer.Deserialize<T>(new BinaryData(row.Value.Payload))!;
        }
        catch (Exception e)
        {
            throw new InvalidDataException(
                $"the stored state '{stateName}' of {grainId} in {Path} cannot be read ({e.Message}): it was written by an incompatible ProbeGrid version or is damaged; " +
                "use a fresh --state folder, or delete that row", e);
        }
        grainState.State = state;
        grainState.ETag = row.Value.ETag.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        // The snapshot is taken here, on the grain's turn; only bytes leave it.
        var payload = serializer.Serialize(grainState.State).ToArray();
        var grain = grainId.ToString();
        long? current = grainState.ETag is null ? null : long.Parse(grainState.ETag, CultureInfo.InvariantCulture);
        if (!await Task.Run(() => WriteRow(stateName, grain, payload, current)))
            throw new InconsistentStateException($"state '{stateName}' of {grainId} was changed by another activation since it was read", "unknown", grainState.ETag ?? "none");
        grainState.ETag = ((current ?? 0) + 1).ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var grain = grainId.ToString();
        await Task.Run(() => DeleteRow(stateName, grain));
        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    private async Task<(long ETag, byte[] Payload)?> ReadRow(string stateName, string grainId)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT etag, payload FROM grain_state WHERE state_name = $name AND grain_id = $id";
        command.Parameters.AddWithValue("$name", stateName);
        command.Parameters.AddWithValue("$id", grainId);
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync()) return null;
        return (reader.GetInt64(0), (byte[])reader["payload"]);
    }

    /// <summary>Inserts the row (no ETag yet) or updates it if its ETag is still <paramref name="etag"/>; false when another writer got there first.</summary>
    private async Task<bool> WriteRow(string stateName, string grainId, byte[] payload, long? etag)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.Parameters.AddWithValue("$name", stateName);
        command.Parameters.AddWithValue("$id", grainId);
        command.Parameters.AddWithValue("$payload", payload);
        command.Parameters.AddWithValue("$now", DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture));
        if (etag is null)
        {
            command.CommandText = "INSERT INTO grain_state (state_name, grain_id, etag, payload, updated_at) VALUES ($name, $id, 1, $payload, $now) ON CONFLICT DO NOTHING";
        }
        else
        {
            command.CommandText = "UPDATE grain_state SET etag = etag + 1, payload = $payload, updated_at = $now WHERE state_name = $name AND grain_id = $id AND etag = $etag";
            command.Parameters.AddWithValue("$etag", etag.Value);
        }
        return await command.ExecuteNonQueryAsync() == 1;
    }

    private async Task DeleteRow(string stateName, string grainId)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM grain_state WHERE state_name = $name AND grain_id = $id";
        command.Parameters.AddWithValue("$name", stateName);
        command.Parameters.AddWithValue("$id", grainId);
        await command.ExecuteNonQueryAsync();
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
                throw new StateStoreException(
                    $"the state file {Path} has schema version {version}, newer than this ProbeGrid's {SchemaVersion}: upgrade ProbeGrid or use another --state folder");
            command.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name <> 'grain_state'";
            if (Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture) > 0)
                throw new StateStoreException(
                    $"the state file {Path} is a SQLite database with other tables, not ProbeGrid's state: move it away or give this command another --state folder");
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
        catch (SqliteException e) when (Explain(e) is { } cause)
        {
            throw new StateStoreException($"the state file {Path} {cause}", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new StateStoreException($"the state file {Path} cannot be created (permission denied): make its folder writable, or give this command another --state folder", e);
        }
        finally
        {
            initialization.Release();
        }
    }

    /// <summary>What SQLite's error means for the user, with the fix; null for errors that are not about the file (e.g. a full disk).</summary>
    /// <remarks>SQLite's own message is a fixed phrase per code ("file is not a database"), never the file's bytes.</remarks>
    private string? Explain(SqliteException e) => e.SqliteErrorCode switch
    {
        SqliteNotADatabase => $"is not a SQLite database (SQLite: {Reason(e)}): it is not ProbeGrid's state; move it away (e.g. mv {Path} {Path}.bad) or give this command another --state folder",
        SqliteCorrupt => $"is damaged (SQLite: {Reason(e)}): restore it from a backup, or move it away and start again (finished units are then recomputed)",
        SqliteReadOnly or SqliteCannotOpen or SqlitePermission => $"cannot be opened for writing (SQLite: {Reason(e)}): make the file and its folder writable, or give this command another --state folder",
        _ => null,
    };

    private static string Reason(SqliteException e) => e.Message.Replace("SQLite Error ", "error ", StringComparison.Ordinal).TrimEnd('.');

    private const int SqliteCorrupt = 11;
    private const int SqliteReadOnly = 8;
    private const int SqliteCannotOpen = 14;
    private const int SqlitePermission = 3;
    private const int SqliteNotADatabase = 26;
}
