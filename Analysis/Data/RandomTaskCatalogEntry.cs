using System.Globalization;
using static ProbeGrid.Analysis.Data.DatasetParameters;

namespace ProbeGrid.Analysis.Data;

/// <summary>"random-task": Task-n of the feature-complexity paper (<see cref="RandomTaskDataset"/>), a seeded random DNN's outputs as regression targets.</summary>
public sealed class RandomTaskCatalogEntry : IDataset
{
    public const string DatasetName = "random-task";
    public const string ReluLayers = "n";
    public const string Seed = "seed";

    /// <summary>n (default 8, one of the paper's tasks) and the split sizes; the 64-bit task seed is read apart.</summary>
    private static readonly (string Name, int Default)[] IntegerParameters =
    [
        (ReluLayers, 8), (TrainCount, RandomTaskDataset.DefaultTrainCount),
        (ValidationCount, RandomTaskDataset.DefaultValidationCount), (TestCount, RandomTaskDataset.DefaultTestCount),
    ];

    public string Name => DatasetName;

    public IReadOnlyList<string> ParameterNames { get; } = [Root, ReluLayers, Seed, TrainCount, ValidationCount, TestCount];

    public TargetKind TargetKind => TargetKind.Regression;

    public int ClassCount => 0;

    public IEnumerable<string> ParameterProblems(IReadOnlyDictionary<string, string> parameters)
    {
        var problems = EmptyRootProblems(Name, parameters).ToList();
        var values = Integers(Name, parameters, IntegerParameters, problems);
        TaskSeed(parameters, problems);
        if (values is not null)
            problems.AddRange(Named(Name, RandomTaskDataset.ParameterProblems(values[0], values[1], values[2], values[3])));
        return problems;
    }

    public long[] SampleShape(IReadOnlyDictionary<string, string> parameters) => FashionMnist.SampleShape;

    public long[]? TargetShape(IReadOnlyDictionary<string, string> parameters) => RandomTaskDataset.TargetShape;

    public int[] SplitSizes(IReadOnlyDictionary<string, string> parameters) => ValidIntegers(Name, parameters, IntegerParameters)[1..];

    public DatasetSplits Load(IReadOnlyDictionary<string, string> parameters, long seed, string? dataRoot)
    {
        var task = ValidIntegers(Name, parameters, IntegerParameters);
        var problems = new List<string>();
        var taskSeed = TaskSeed(parameters, problems) ?? throw new ArgumentException(string.Join("; ", problems), nameof(parameters));
        return RandomTaskDataset.Load(FashionMnistFolder(parameters, dataRoot), task[0], taskSeed, task[1], task[2], task[3], seed);
    }

    /// <summary>The seed of the task DNN's weights (default 0), or null when it is not a 64-bit integer.</summary>
    private static long? TaskSeed(IReadOnlyDictionary<string, string> parameters, List<string> problems)
    {
        if (!parameters.TryGetValue(Seed, out var text))
            return 0;
        if (long.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite,
                CultureInfo.InvariantCulture, out var seed))
            return seed;
        problems.Add($"dataset '{DatasetName}': parameter '{Seed}' must be a 64-bit integer, the task DNN's weight seed (got '{text}'); leave it out for 0");
        return null;
    }
}
