namespace ProbeGrid.Analysis.Training;

/// <summary>
/// A learning rate decaying log-linearly (geometrically) from a first to a last value over a number of
/// epochs or steps, as the feature-complexity authors schedule their disentanglers.
/// </summary>
public static class LogLinearSchedule
{
    /// <summary>The rate at <paramref name="index"/> (0-based) of <paramref name="count"/>: <paramref name="initial"/> first, <paramref name="final"/> last.</summary>
    public static double At(double initial, double final, int index, int count) => count <= 1
        ? initial
        : Math.Exp(Math.Log(initial) + (Math.Log(final) - Math.Log(initial)) * index / (count - 1));
}
