using ProbeGrid.Client;
using ProbeGrid.GrainsInterfaces.Sweeps;

namespace ProbeGrid.Tests.Cluster;

/// <summary>Waiting on a cluster of silo processes that are started, killed and replaced under the test.</summary>
internal static class ClusterWaits
{
    public static async Task WaitForSilosAsync(ClusterConnection connection, int count)
    {
        var management = connection.ClusterClient.GetGrain<IManagementGrain>(0);
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while ((await RetriedAsync(() => management.GetHosts(onlyActive: true))).Count < count)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"fewer than {count} silos became active");
            await Task.Delay(250);
        }
    }

    /// <summary>Status polling that rides out the moments when a silo has just died (the SDK's watch retries).</summary>
    public static async Task<SweepStatus> WaitUntilAsync(ProbeGridClient client, string sweepId, Func<SweepStatus, bool> condition, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        SweepStatus? last = null;
        try
        {
            await foreach (var status in client.WatchAsync(sweepId, TimeSpan.FromMilliseconds(250), cancel.Token))
            {
                last = status;
                if (condition(status)) return status;
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"sweep {sweepId} did not reach the expected state within {timeout}; last: {last}");
        }
        return last!;
    }

    /// <summary>A query retried for a minute while the membership settles after a silo left.</summary>
    public static async Task<T> RetriedAsync<T>(Func<Task<T>> query)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (true)
        {
            try
            {
                return await query();
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
                // Connection refused by the killed silo's gateway, or a directory lookup that still names it.
                await Task.Delay(500);
            }
        }
    }
}
