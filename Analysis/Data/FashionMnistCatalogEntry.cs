using static ProbeGrid.Analysis.Data.DatasetParameters;

namespace ProbeGrid.Analysis.Data;

/// <summary>"fashion-mnist": the IDX files split into train, validation (held out of the training file) and test.</summary>
public sealed class FashionMnistCatalogEntry : IDataset
{
    public const string DatasetName = "fashion-mnist";

    /// <summary>Integer parameters and their defaults (the probe paper holds out 10^4 validation images).</summary>
    private static readonly (string Name, int Default)[] Counts = [(TrainCount, 50_000), (ValidationCount, 10_000), (TestCount, 10_000)];

    public string Name => DatasetName;

    public IReadOnlyList<string> ParameterNames { get; } = [Root, .. Counts.Select(p => p.Name)];

    public TargetKind TargetKind => TargetKind.ClassIndex;

    public int ClassCount => FashionMnist.ClassCount;

    public IEnumerable<string> ParameterProblems(IReadOnlyDictionary<string, string> parameters)
    {
        var problems = EmptyRootProblems(Name, parameters).ToList();
        var counts = Integers(Name, parameters, Counts, problems);
        if (counts is not null)
            problems.AddRange(Named(Name, FashionMnist.CountProblems(counts[0], counts[1], counts[2])));
        return problems;
    }

    public long[] SampleShape(IReadOnlyDictionary<string, string> parameters) => FashionMnist.SampleShape;

    public long[]? TargetShape(IReadOnlyDictionary<string, string> parameters) => null;

    public int[] SplitSizes(IReadOnlyDictionary<string, string> parameters) => ValidIntegers(Name, parameters, Counts);

    public DatasetSplits Load(IReadOnlyDictionary<string, string> parameters, long seed, string? dataRoot)
    {
        var counts = SplitSizes(parameters);
        return FashionMnist.Load(FashionMnistFolder(parameters, dataRoot), counts[0], counts[1], counts[2], seed);
    }
}
