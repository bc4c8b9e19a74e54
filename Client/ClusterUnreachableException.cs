namespace ProbeGrid.Client;

/// <summary>The client could not join the cluster: Redis is down or refused its credentials, no silo of that cluster is up, or a gateway's TLS does not match the client's.</summary>
public sealed class ClusterUnreachableException(string message, Exception? inner) : Exception(message, inner);
