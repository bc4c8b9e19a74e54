namespace ProbeGrid.Analysis.Data;

/// <summary>The parameter names data sets share, and the parsing their <see cref="IDataset"/> implementations share.</summary>
public static class DatasetParameters
{
    public const string Root = "root";
    public const string TrainCount = "trainCount";
    public const string ValidationCount = "validationCount";
    public const string TestCount = "testCount";

    /// <summary>
    /// The integer parameters in order (defaults filled in), or null when any is not an integer; each bad value adds a
    /// problem to <paramref name="problems"/>.
    /// </summary>
    public static int[]? Integers(string dataset, IReadOnlyDictionary<string, string> parameters, (string Name, int Default)[] specs, List<string> problems)
    {
        var values = new int[specs.Length];
        var ok = true;
        for (var i = 0; i < specs.Length; i++)
        {
            if (!parameters.TryGetValue(specs[i].Name, out var text))
            {
                values[i] = specs[i].Default;
                continue;
            }
            if (IntegerText.TryParse(text, int.MinValue, int.MaxValue, out var value, out var outOfRange))
            {
                values[i] = (int)value;
                continue;
            }
            problems.Add($"dataset '{dataset}': parameter '{specs[i].Name}' " + (outOfRange ?? $"must be an integer (got '{text}')"));
            ok = false;
        }
        return ok ? values : null;
    }

    /// <summary>The integers of valid parameters (defaults filled in).</summary>
    /// <exception cref="ArgumentException">A value is not an integer: the parameters were not validated.</exception>
    public static int[] ValidIntegers(string dataset, IReadOnlyDictionary<string, string> parameters, (string Name, int Default)[] specs)
    {
        var problems = new List<string>();
        return Integers(dataset, parameters, specs, problems) ?? throw new ArgumentException(string.Join("; ", problems), nameof(parameters));
    }

    /// <summary>A Fashion-MNIST based data set's refusal of an empty 'root' (leaving it out means the default folder).</summary>
    public static IEnumerable<string> EmptyRootProblems(string dataset, IReadOnlyDictionary<string, string> parameters)
    {
        if (parameters.TryGetValue(Root, out var root) && string.IsNullOrWhiteSpace(root))
            yield return $"dataset '{dataset}': parameter '{Root}' is empty; give the folder holding the IDX files or leave it out for the default";
    }

    /// <summary>The Fashion-MNIST folder: the spec's 'root' if given, else the host's data root, else <see cref="FashionMnist.DefaultFolder"/>.</summary>
    public static string FashionMnistFolder(IReadOnlyDictionary<string, string> parameters, string? dataRoot) =>
        parameters.TryGetValue(Root, out var root) ? root : dataRoot ?? FashionMnist.DefaultFolder;

    /// <summary>The problems of a data set's own checks, each prefixed with the data set's name.</summary>
    public static IEnumerable<string> Named(string dataset, IEnumerable<string> problems) => problems.Select(p => $"dataset '{dataset}': {p}");
}
