namespace ProbeGrid.Cli.Grid;

/// <summary>What a grain call that outlived Orleans' response timeout means to the user, instead of an unhandled exception.</summary>
public static class GridTimeout
{
    public static string Explain(TimeoutException e) =>
        $"The grid did not answer in time ({FirstLine(e.Message)}). The silo is overloaded (other work on its cores) or one of the " +
        "cluster's silos stopped: nothing computed is lost; run the same command again, or `probegrid cluster` to see the silos.";

    private static string FirstLine(string message)
    {
        var end = message.IndexOfAny(['\n', '\r']);
        var line = end < 0 ? message : message[..end];
        return line.Length > 160 ? line[..160] + "..." : line;
    }
}
