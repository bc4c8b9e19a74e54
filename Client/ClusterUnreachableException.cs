namespace ProbeGrid.Client;

/// <summary>The client could not join the cluster: Redis is down, or no silo of that cluster is up.</summary>
public sealed class ClusterUnreachableException(string message, Exception inner) : Exception(message, inner);
