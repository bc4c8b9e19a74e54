using static ProbeGrid.Analysis.Data.DatasetParameters;

namespace ProbeGrid.Analysis.Data;

/// <summary>"gaussian-sign": the probe paper's synthetic two-class task (<see cref="GaussianSignDataset"/>), generated in memory.</summary>
public sealed class GaussianSignCatalogEntry : IDataset
{
    public const string DatasetName = "gaussian-sign";
    public const string Dimension = "dimension";

    private static readonly (string Name, int Default)[] IntegerParameters =
        [(Dimension, GaussianSignDataset.DefaultDimension), (TrainCount, 2_000), (ValidationCount, 500), (TestCount, 1_000)];

    public string Name => DatasetName;

    public IReadOnlyList<string> ParameterNames { get; } = [.. IntegerParameters.Select(p => p.Name)];

    public TargetKind TargetKind => TargetKind.ClassIndex;

    public int ClassCount => GaussianSignDataset.ClassCount;

    public IEnumerable<string> ParameterProblems(IReadOnlyDictionary<string, string> parameters)
    {
        var problems = new List<string>();
        var values = Integers(Name, parameters, IntegerParameters, problems);
        if (values is not null)
            problems.AddRange(Named(Name, GaussianSignDataset.ParameterProblems(values[0], values[1], values[2], values[3])));
        return problems;
    }

    public long[] SampleShape(IReadOnlyDictionary<string, string> parameters) => [ValidIntegers(Name, parameters, IntegerParameters)[0]];

    public long[]? TargetShape(IReadOnlyDictionary<string, string> parameters) => null;

    public int[] SplitSizes(IReadOnlyDictionary<string, string> parameters) => ValidIntegers(Name, parameters, IntegerParameters)[1..];

    public DatasetSplits Load(IReadOnlyDictionary<string, string> parameters, long seed, string? dataRoot)
    {
        var values = ValidIntegers(Name, parameters, IntegerParameters);
        return GaussianSignDataset.Generate(values[0], values[1], values[2], values[3], seed);
    }
}
