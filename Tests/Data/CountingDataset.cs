using ProbeGrid.Analysis.Data;

namespace ProbeGrid.Tests.Data;

/// <summary>
/// A user-defined data set written only against <see cref="IDataset"/>: sample i of a split is [i, 2i + seed] with
/// class i % 2, and each split has 'count' samples (default 4). The tests add it to a registry of their own.
/// </summary>
public sealed class CountingDataset : IDataset
{
    public const string DatasetName = "counting";

    public string Name => DatasetName;

    public IReadOnlyList<string> ParameterNames { get; } = ["count"];

    public TargetKind TargetKind => TargetKind.ClassIndex;

    public int ClassCount => 2;

    public IEnumerable<string> ParameterProblems(IReadOnlyDictionary<string, string> parameters)
    {
        var problems = new List<string>();
        if (DatasetParameters.Integers(Name, parameters, [("count", 4)], problems) is [var count] && count < 1)
            problems.Add($"dataset '{Name}': count must be at least 1 (got {count})");
        return problems;
    }

    public long[] SampleShape(IReadOnlyDictionary<string, string> parameters) => [2];

    public long[]? TargetShape(IReadOnlyDictionary<string, string> parameters) => null;

    public int[] SplitSizes(IReadOnlyDictionary<string, string> parameters)
    {
        var count = DatasetParameters.ValidIntegers(Name, parameters, [("count", 4)])[0];
        return [count, count, count];
    }

    public DatasetSplits Load(IReadOnlyDictionary<string, string> parameters, long seed, string? dataRoot)
    {
        var count = SplitSizes(parameters)[0];
        LabeledData Split() => new(
            [.. Enumerable.Range(0, count).SelectMany(i => new[] { (float)i, 2f * i + seed })], [2],
            [.. Enumerable.Range(0, count).Select(i => (long)(i % 2))], ClassCount);
        return new DatasetSplits(Split(), Split(), Split());
    }
}
