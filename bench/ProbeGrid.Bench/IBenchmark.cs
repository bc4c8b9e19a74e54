namespace ProbeGrid.Bench;

/// <summary>One named benchmark: runs its cases and returns one row per case.</summary>
public interface IBenchmark
{
    /// <summary>The name given on the command line.</summary>
    string Name { get; }

    /// <summary>One line for <c>--list</c>.</summary>
    string Description { get; }

    /// <summary>Notes printed under the table (formulas, sizes, caveats).</summary>
    IReadOnlyList<string> Notes(BenchSettings settings);

    IReadOnlyList<BenchResult> Run(BenchSettings settings);
}
