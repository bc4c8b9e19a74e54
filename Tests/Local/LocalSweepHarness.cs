using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ProbeGrid.Analysis.Activations;
using ProbeGrid.Cli.Local;
using ProbeGrid.Grains.Compute;
using ProbeGrid.Grains.Planning;
using ProbeGrid.GrainsInterfaces.Results;
using ProbeGrid.GrainsInterfaces.Specs;
using ProbeGrid.GrainsInterfaces.Sweeps;

namespace ProbeGrid.Tests.Local;

/// <summary>
/// Plans a spec the way <c>probegrid run</c> does (data root = <paramref name="root"/>) and runs it with
/// <see cref="LocalSweepRunner"/>, each run with its own activation cache folder, so a test can see
/// from the cache whether a run extracted any activations.
/// </summary>
internal sealed class LocalSweepHarness(string root)
{
    public string Root { get; } = root;

    public SweepPlan Plan(string specJson, string sweepId = "test") =>
        new SweepPlanner(new DataRoots([Root]), Root).Plan(SweepSpecReader.Parse(specJson), sweepId);

    public IReadOnlyList<MetricValue> Run(SweepPlan plan, string output, string cache, CancellationToken ct = default, ILogger? logger = null) =>
        new LocalSweepRunner(new ActivationJob(new DatasetProvider(), new ActivationCache(cache)), logger ?? NullLogger.Instance)
            .Run(plan, output, ct);

    /// <summary>The key texts of the activation cache entries a run wrote (one per checkpoint x repeat x split).</summary>
    public static string[] CacheKeys(string cache) =>
        Directory.Exists(cache)
            ? Directory.GetFiles(cache, "key.txt", SearchOption.AllDirectories).Select(File.ReadAllText).Order(StringComparer.Ordinal).ToArray()
            : [];
}
