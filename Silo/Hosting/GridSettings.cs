namespace ProbeGrid.Silo.Hosting;

/// <summary>Where a silo reads data and keeps its files: the data roots specs may name, and its state and cache folders.</summary>
public sealed record GridSettings(IReadOnlyList<string> DataRoots, string StateFolder, string CacheFolder)
{
    /// <summary>Relative paths in specs resolve against this folder (the CLI sends absolute paths).</summary>
    public string BaseDirectory { get; init; } = Directory.GetCurrentDirectory();

    /// <summary>Silo metadata to advertise over what the silo detects (e.g. a GPU count set by the operator).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();
}
