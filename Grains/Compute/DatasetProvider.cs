using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ProbeGrid.Analysis.Data;
using ProbeGrid.GrainsInterfaces.Specs;
using ProbeGrid.Grains.Models;

namespace ProbeGrid.Grains.Compute;

/// <summary>
/// Loads each data set once per process: every checkpoint of a sweep runs the same data, and
/// Fashion-MNIST takes a second to decode. Inputs a load skipped (unreadable images of an image folder
/// loaded with onCorrupt=skip) are logged as a warning, once per load.
/// </summary>
/// <param name="models">the data sets it can load (default: the built-in ones).</param>
public sealed class DatasetProvider(string? fashionMnistRoot = null, ModelCatalog? models = null, ILogger? logger = null)
{
    private readonly ConcurrentDictionary<string, Lazy<DatasetSplits>> loaded = new();
    private readonly ILogger logger = logger ?? NullLogger<DatasetProvider>.Instance;

    /// <summary>The splits of <paramref name="spec"/> for one repeat (each repeat draws its data with seed + repeat).</summary>
    public DatasetSplits Get(DatasetSpec spec, int repeat) =>
        loaded.GetOrAdd(Key(spec, repeat), _ => new Lazy<DatasetSplits>(() => Load(spec, repeat))).Value;

    /// <summary>A stable description of the data a repeat sees; part of the activation cache key.</summary>
    public static string Key(DatasetSpec spec, int repeat) =>
        $"{spec.Name}|{string.Join(';', spec.Parameters.Select(p => p.Key + "=" + p.Value))}|seed={spec.Seed + repeat}";

    private DatasetSplits Load(DatasetSpec spec, int repeat)
    {
        var splits = (models ?? ModelCatalog.BuiltIn).Datasets.Load(spec.Name, spec.Parameters, spec.Seed + repeat, fashionMnistRoot);
        if (splits.Skipped.Count > 0)
            logger.LogWarning("Data set {Dataset} (seed {Seed}) skipped {Count} unreadable input(s) and drew others in their place: {Skipped}",
                spec.Name, spec.Seed + repeat, splits.Skipped.Count, splits.Skipped);
        return splits;
    }
}
