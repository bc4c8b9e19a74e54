using System.Diagnostics.CodeAnalysis;

namespace ProbeGrid.Analysis.Data;

/// <summary>
/// The data sets a process can load, by name, and the checks all of them share (unknown names and parameters).
/// Built from a list, so a host adds its own; <see cref="BuiltIn"/> holds the shipped ones. Nothing but
/// <see cref="Load"/> touches the disk.
/// </summary>
public sealed class DatasetRegistry
{
    private readonly Dictionary<string, IDataset> byName = new(StringComparer.Ordinal);
    private readonly List<string> names = [];

    /// <exception cref="InvalidOperationException">Two data sets have one name.</exception>
    public DatasetRegistry(IEnumerable<IDataset> datasets)
    {
        foreach (var dataset in datasets)
        {
            if (!byName.TryAdd(dataset.Name, dataset))
                throw new InvalidOperationException($"two data sets are registered as '{dataset.Name}': {byName[dataset.Name].GetType().Name} and {dataset.GetType().Name}");
            names.Add(dataset.Name);
        }
    }

    /// <summary>The data sets ProbeGrid ships, in the order they are listed to users: the one list the registry and DI use.</summary>
    public static IEnumerable<IDataset> BuiltInDatasets() =>
    [
        new FashionMnistCatalogEntry(), new GaussianSignCatalogEntry(), new FashionMnistMosaicCatalogEntry(), new RandomTaskCatalogEntry(),
        new FashionMnistCanvasCatalogEntry(), new ImageFolder.ImageFolderCatalogEntry(),
    ];

    /// <summary>The shipped data sets, for code that runs without a host's services (<see cref="DatasetCatalog"/>, the CLI, tests).</summary>
    public static DatasetRegistry BuiltIn { get; } = new(BuiltInDatasets());

    /// <summary>The registered names, in registration order.</summary>
    public IReadOnlyList<string> Names => names;

    public bool TryGet(string name, [NotNullWhen(true)] out IDataset? dataset) => byName.TryGetValue(name, out dataset);

    /// <exception cref="ArgumentException">No data set has that name; the message lists the known ones.</exception>
    public IDataset Get(string name) => TryGet(name, out var dataset) ? dataset
        : throw new ArgumentException($"unknown data set '{name}'; known data sets are {string.Join(", ", names)}", nameof(name));

    /// <summary>The parameter names <paramref name="name"/> accepts (empty for an unknown name).</summary>
    public IReadOnlyList<string> ParameterNames(string name) => TryGet(name, out var dataset) ? dataset.ParameterNames : [];

    /// <summary>Every problem with a data set name and its parameters; empty when they are fine. Loads nothing.</summary>
    public IReadOnlyList<string> Validate(string name, IReadOnlyDictionary<string, string> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!TryGet(name, out var dataset))
            return [$"dataset: unknown data set '{name}'; known data sets are {string.Join(", ", names)}"];

        var problems = new List<string>();
        var allowed = dataset.ParameterNames;
        foreach (var key in parameters.Keys.Where(k => !allowed.Contains(k)).Order(StringComparer.Ordinal))
        {
            var near = allowed.FirstOrDefault(a => string.Equals(a, key, StringComparison.OrdinalIgnoreCase));
            problems.Add($"dataset '{name}': unknown parameter '{key}'" + (near is null ? "" : $" (did you mean '{near}'?)") +
                         $"; allowed parameters are {string.Join(", ", allowed)}");
        }
        problems.AddRange(dataset.ParameterProblems(parameters));
        return problems;
    }

    /// <summary>
    /// Builds the splits of data set <paramref name="name"/>. For the data sets made of files, the folder is the spec's
    /// 'root' parameter if given, else <paramref name="dataRoot"/> (the host's configured data root), else the data set's default.
    /// </summary>
    /// <exception cref="ArgumentException">The name or a parameter is invalid; the message lists every problem.</exception>
    public DatasetSplits Load(string name, IReadOnlyDictionary<string, string> parameters, long seed, string? dataRoot = null)
    {
        var problems = Validate(name, parameters);
        if (problems.Count > 0)
            throw new ArgumentException("Invalid data set in the sweep spec: " + string.Join("; ", problems) + ".", nameof(parameters));
        return Get(name).Load(parameters, seed, dataRoot);
    }
}
