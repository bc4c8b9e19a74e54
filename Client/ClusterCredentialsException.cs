namespace ProbeGrid.Client;

/// <summary>The client's own TLS or Redis credentials are unusable (every problem listed); nothing was sent to the cluster.</summary>
public sealed class ClusterCredentialsException(IReadOnlyList<string> problems)
    : Exception(string.Join(Environment.NewLine, problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
