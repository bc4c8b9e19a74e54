namespace ProbeGrid.Cli.Grid;

/// <summary>
/// `probegrid stop` for a sweep that another process runs on the embedded grid (which holds the state folder's lock): a
/// file &lt;state&gt;/stop-requests/SWEEP that the running `run --follow` or `train --analyse` picks up and acts on.
/// </summary>
public static class StopRequests
{
    private const string Folder = "stop-requests";

    public static void Request(string stateFolder, string sweepId)
    {
        var folder = Path.Combine(stateFolder, Folder);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, sweepId), DateTime.UtcNow.ToString("O"));
    }

    /// <summary>Calls <paramref name="stop"/> once when a request for <paramref name="sweepId"/> appears (checked every second), until <paramref name="ct"/> fires.</summary>
    public static async Task WatchAsync(string stateFolder, string sweepId, Func<Task> stop, CancellationToken ct)
    {
        var path = Path.Combine(stateFolder, Folder, sweepId);
        if (File.Exists(path)) File.Delete(path); // a request left from an earlier run is not this one's
        while (!ct.IsCancellationRequested)
        {
            try { await Task.Delay(TimeSpan.FromSeconds(1), ct); }
            catch (OperationCanceledException) { return; }
            if (!File.Exists(path)) continue;
            File.Delete(path);
            await stop();
            return;
        }
    }
}
