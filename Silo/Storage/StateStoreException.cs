namespace ProbeGrid.Silo.Storage;

/// <summary>
/// The grid's durable state cannot be used: the state folder is read-only, or its grid.db is not a
/// SQLite file, is damaged or has a newer schema. The message names the file, the cause and the
/// fix in one line; the CLI prints it as bad input (exit 2), without a stack trace.
/// </summary>
public sealed class StateStoreException(string message, Exception? inner = null) : InvalidOperationException(message, inner);
