using System.Globalization;

namespace ProbeGrid.Analysis.Data;

/// <summary>
/// The data sets a sweep spec can name, with their string parameters (as they come from a spec
/// file), their defaults and their checks. <see cref="Validate"/> reports every problem without
/// touching the disk, so a client can check a spec where the data is not installed.
/// </summary>
public static class DatasetCatalog
{
    public const string FashionMnistName = "fashion-mnist";
    public const string GaussianSignName = "gaussian-sign";

    public const string RootParameter = "root";
    public const string TrainCountParameter = "trainCount";
    public const string ValidationCountParameter = "validationCount";
    public const string TestCountParameter = "testCount";
    public const string DimensionParameter = "dimension";

    public static IReadOnlyList<string> Names { get; } = [FashionMnistName, GaussianSignName];

    /// <summary>Integer parameters and their defaults (the probe paper holds out 10^4 validation images).</summary>
    private static readonly (string Name, int Default)[] FashionMnistCounts =
        [(TrainCountParameter, 50_000), (ValidationCountParameter, 10_000), (TestCountParameter, 10_000)];

    private static readonly (string Name, int Default)[] GaussianSignIntegers =
        [(DimensionParameter, GaussianSignDataset.DefaultDimension), (TrainCountParameter, 2_000), (ValidationCountParameter, 500), (TestCountParameter, 1_000)];

    /// <summary>The parameter names <paramref name="name"/> accepts (empty for an unknown name).</summary>
    public static IReadOnlyList<string> ParameterNames(string name) => name switch
    {
        FashionMnistName => [RootParameter, .. FashionMnistCounts.Select(p => p.Name)],
        GaussianSignName => [.. GaussianSignIntegers.Select(p => p.Name)],
        _ => [],
    };

    /// <summary>Every problem with a data set name and its parameters; empty when they are fine. Loads nothing.</summary>
    public static IReadOnlyList<string> Validate(string name, IReadOnlyDictionary<string, string> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var problems = new List<string>();
        if (!Names.Contains(name))
        {
            problems.Add($"dataset: unknown data set '{name}'; known data sets are {string.Join(", ", Names)}");
            return problems;
        }

        var allowed = ParameterNames(name);
        foreach (var key in parameters.Keys.Where(k => !allowed.Contains(k)).Order(StringComparer.Ordinal))
        {
            var near = allowed.FirstOrDefault(a => string.Equals(a, key, StringComparison.OrdinalIgnoreCase));
            problems.Add($"dataset '{name}': unknown parameter '{key}'" + (near is null ? "" : $" (did you mean '{near}'?)") +
                         $"; allowed parameters are {string.Join(", ", allowed)}");
        }

        if (name == FashionMnistName)
        {
            if (parameters.TryGetValue(RootParameter, out var root) && string.IsNullOrWhiteSpace(root))
                problems.Add($"dataset '{name}': parameter '{RootParameter}' is empty; give the folder holding the IDX files or leave it out for the default");
            var counts = ParseIntegers(name, parameters, FashionMnistCounts, problems);
            if (counts is not null)
                problems.AddRange(FashionMnist.CountProblems(counts[0], counts[1], counts[2]).Select(p => $"dataset '{name}': {p}"));
        }
        else
        {
            var values = ParseIntegers(name, parameters, GaussianSignIntegers, problems);
            if (values is not null)
                problems.AddRange(GaussianSignDataset.ParameterProblems(values[0], values[1], values[2], values[3]).Select(p => $"dataset '{name}': {p}"));
        }
        return problems;
    }

    /// <summary>The per-sample input shape of a valid data set, without loading it.</summary>
    public static long[] SampleShape(string name, IReadOnlyDictionary<string, string> parameters) => name switch
    {
        FashionMnistName => FashionMnist.SampleShape,
        GaussianSignName => [ParseIntegers(name, parameters, GaussianSignIntegers, [])![0]],
        _ => throw new ArgumentException($"unknown data set '{name}'; known data sets are {string.Join(", ", Names)}", nameof(name)),
    };

    /// <summary>The train, validation and test sizes of a valid data set, without loading it.</summary>
    public static int[] SplitSizes(string name, IReadOnlyDictionary<string, string> parameters) => name switch
    {
        FashionMnistName => ParseIntegers(name, parameters, FashionMnistCounts, [])!,
        GaussianSignName => ParseIntegers(name, parameters, GaussianSignIntegers, [])![1..],
        _ => throw new ArgumentException($"unknown data set '{name}'; known data sets are {string.Join(", ", Names)}", nameof(name)),
    };

    /// <summary>The number of classes of a data set, without loading it.</summary>
    public static int ClassCount(string name) => name switch
    {
        FashionMnistName => FashionMnist.ClassCount,
        GaussianSignName => GaussianSignDataset.ClassCount,
        _ => throw new ArgumentException($"unknown data set '{name}'; known data sets are {string.Join(", ", Names)}", nameof(name)),
    };

    /// <summary>
    /// Builds the splits of data set <paramref name="name"/>. For Fashion-MNIST the folder is the
    /// spec's 'root' parameter if given, else <paramref name="fashionMnistRoot"/> (the host's
    /// configured data root), else <see cref="FashionMnist.DefaultFolder"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The name or a parameter is invalid; the message lists every problem.</exception>
    public static DatasetSplits Load(string name, IReadOnlyDictionary<string, string> parameters, long seed, string? fashionMnistRoot = null)
    {
        var problems = Validate(name, parameters);
        if (problems.Count > 0)
            throw new ArgumentException("Invalid data set in the sweep spec: " + string.Join("; ", problems) + ".", nameof(parameters));

        if (name == FashionMnistName)
        {
            var counts = ParseIntegers(name, parameters, FashionMnistCounts, [])!;
            var folder = parameters.TryGetValue(RootParameter, out var root) ? root : fashionMnistRoot ?? FashionMnist.DefaultFolder;
            return FashionMnist.Load(folder, counts[0], counts[1], counts[2], seed);
        }
        var values = ParseIntegers(name, parameters, GaussianSignIntegers, [])!;
        return GaussianSignDataset.Generate(values[0], values[1], values[2], values[3], seed);
    }

    /// <summary>The integer parameters in order (defaults filled in), or null when any is not an integer.</summary>
    private static int[]? ParseIntegers(string name, IReadOnlyDictionary<string, string> parameters,
        (string Name, int Default)[] specs, List<string> problems)
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
            if (!int.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite,
                    CultureInfo.InvariantCulture, out values[i]))
            {
                problems.Add($"dataset '{name}': parameter '{specs[i].Name}' must be an integer (got '{text}')");
                ok = false;
            }
        }
        return ok ? values : null;
    }
}
