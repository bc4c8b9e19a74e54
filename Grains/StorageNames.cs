namespace ProbeGrid.Grains;

/// <summary>The grain storage provider every ProbeGrid grain persists to (SQLite embedded, Redis in a cluster).</summary>
public static class StorageNames
{
    public const string State = "probegrid";
}
