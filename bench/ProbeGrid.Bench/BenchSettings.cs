namespace ProbeGrid.Bench;

/// <summary>
/// How hard to measure. The full run repeats each case a few times after a warm-up; the quick
/// run (<c>--quick</c>) is a smoke test: smaller problems, one warm-up and one timed run.
/// <paramref name="Runs"/> (from <c>--runs N</c>) overrides the number of timed runs; <paramref name="Families"/>
/// (from <c>--families A,B</c>) limits the torchvision benchmark to those families.
/// </summary>
public sealed record BenchSettings(bool Quick, int? Runs = null, IReadOnlyList<string>? Families = null)
{
    /// <summary>Untimed runs before the timed ones (JIT, libtorch thread pool, allocator).</summary>
    public int Warmup => 1;

    /// <summary>Timed runs per case; the table reports their median and minimum.</summary>
    public int Repetitions => Runs ?? (Quick ? 1 : 3);

    /// <summary>Picks the full-size or the quick value of a parameter.</summary>
    public T Pick<T>(T full, T quick) => Quick ? quick : full;
}
