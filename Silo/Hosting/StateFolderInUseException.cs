namespace ProbeGrid.Silo.Hosting;

/// <summary>Another process runs an embedded grid on the same state folder.</summary>
public sealed class StateFolderInUseException(string message) : InvalidOperationException(message);
