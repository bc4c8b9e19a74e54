using System.Text.Json;
using ProbeGrid.Analysis.Activations;
using ProbeGrid.Analysis.LinearProbes;

namespace ProbeGrid.Bench;

/// <summary>
/// Probes at the optimum against scikit-learn, side by side in one run: <see cref="ConvexProbeSolver"/> on every tap of
/// an export folder (<c>probegrid activations export</c>; set PROBEGRID_BENCH_EXPORT to it, else synthetic features are
/// written to a temporary one), then bench/probe_sklearn.py (Debian's python3-sklearn) on the same files, with the
/// same standardisation, objective and L2 grid. Rows show both objectives, test errors and times per tap.
/// </summary>
public sealed class ProbeOptimumBenchmark : IBenchmark
{
    private const string ExportVariable = "PROBEGRID_BENCH_EXPORT";

    public string Name => "probe-optimum";

    public string Description => "probes at the optimum (ConvexProbeSolver) vs scikit-learn's LogisticRegression on the same exported features: objective, test error, time";

    public IReadOnlyList<string> Notes(BenchSettings settings) =>
    [
        $"features: {Environment.GetEnvironmentVariable(ExportVariable) ?? "synthetic (set " + ExportVariable + " to an export folder for a real network)"}",
        "objective = mean cross-entropy + (l2/2)*||W||^2 on standardised training features (sklearn: C = 1/(n*l2)); both pick l2 from "
        + string.Join(", ", OptimalProbeOptions.DefaultL2Grid.Select(v => v.ToString("0e0", System.Globalization.CultureInfo.InvariantCulture))) + " on validation loss",
        "d objective = ProbeGrid's minus sklearn's (negative: ProbeGrid is lower); sklearn runs lbfgs with tol 1e-10, its time is one fit of the whole grid",
    ];

    public IReadOnlyList<BenchResult> Run(BenchSettings settings)
    {
        var folder = Environment.GetEnvironmentVariable(ExportVariable) ?? SyntheticExport(settings);
        var taps = Directory.GetFiles(Path.Combine(folder, "train"), "*.npy").Select(Path.GetFileNameWithoutExtension).OfType<string>()
            .Where(t => t is not "labels" and not "label_sets").Order(StringComparer.Ordinal).ToList();
        var peer = Peer(folder);
        var rows = new List<BenchResult>();
        foreach (var tap in taps)
        {
            try
            {
                var (layer, train, validation, test, classes) = Load(folder, tap);
                OptimalProbeResult? solved = null;
                var timing = Timing.Measure(() => solved = ConvexProbeSolver.Solve(layer, train, validation, test, classes, new OptimalProbeOptions()), settings);
                List<Metric> metrics =
                [
                    new("l2", solved!.L2), new("objective", solved.Objective), new("test error", solved.TestError),
                    new("iterations", solved.Iterations), new("converged", solved.Converged ? 1 : 0),
                ];
                if (peer?.GetValueOrDefault(tap) is { } theirs)
                {
                    metrics.Add(new("sklearn l2", theirs.GetProperty("l2").GetDouble()));
                    metrics.Add(new("d objective", solved.Objective - theirs.GetProperty("objective").GetDouble()));
                    metrics.Add(new("sklearn test error", theirs.GetProperty("test_error").GetDouble()));
                    metrics.Add(new("sklearn s", theirs.GetProperty("seconds").GetDouble()));
                }
                rows.Add(new BenchResult($"{tap} ({layer.Dimensions} features, {train.Count} train)", timing, metrics));
            }
            catch (Exception e)
            {
                rows.Add(BenchResult.Failure(tap, e));
            }
        }
        return rows;
    }

    private static (LayerFeatures Layer, ProbeTargets Train, ProbeTargets Validation, ProbeTargets Test, int Classes) Load(string folder, string tap)
    {
        FeatureMatrix Features(string split)
        {
            using var stream = File.OpenRead(Path.Combine(folder, split, tap + ".npy"));
            return NpyFile.ReadMatrix(stream, tap);
        }
        long[] Labels(string split)
        {
            using var stream = File.OpenRead(Path.Combine(folder, split, "labels.npy"));
            return NpyFile.ReadVector(stream, "labels");
        }
        var labels = new[] { Labels("train"), Labels("validation"), Labels("test") };
        var classes = (int)labels.SelectMany(l => l).Max() + 1;
        return (new LayerFeatures(tap, Features("train"), Features("validation"), Features("test")),
            ProbeTargets.Classes(labels[0]), ProbeTargets.Classes(labels[1]), ProbeTargets.Classes(labels[2]), classes);
    }

    /// <summary>scikit-learn's rows by tap, or null (with a line on stderr) when Debian's python3-sklearn is not there.</summary>
    private static Dictionary<string, JsonElement>? Peer(string folder)
    {
        var script = PythonPeer.FindScript("probe_sklearn.py");
        if (script is null || !File.Exists(PythonPeer.Python)) { Console.Error.WriteLine("probe-optimum: no /usr/bin/python3 or bench/probe_sklearn.py: ProbeGrid's side only"); return null; }
        var json = Path.Combine(Path.GetTempPath(), $"probe-sklearn-{Environment.ProcessId}.json");
        var (exitCode, errors) = PythonPeer.Run(script, [folder, "--json", json]);
        if (exitCode != 0) { Console.Error.WriteLine($"probe-optimum: the scikit-learn peer failed: {errors}"); return null; }
        using var document = JsonDocument.Parse(File.ReadAllText(json));
        File.Delete(json);
        return document.RootElement.EnumerateArray().ToDictionary(r => r.GetProperty("tap").GetString()!, r => r.Clone());
    }

    /// <summary>Three taps of seeded synthetic features (ReLU of a random mixing of 10 class blobs), written as an export folder.</summary>
    private static string SyntheticExport(BenchSettings settings)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"probe-optimum-{Environment.ProcessId}");
        var random = new Random(7);
        var (train, validation, test) = settings.Pick((3000, 600, 1000), (600, 200, 200));
        int[] widths = settings.Pick<int[]>([64, 256, 512], [32, 64]);
        const int classes = 10;
        var centres = Enumerable.Range(0, classes).Select(_ => Enumerable.Range(0, 32).Select(_ => Gaussian(random)).ToArray()).ToArray();
        var mixings = widths.Select(w => Enumerable.Range(0, 32 * w).Select(_ => (float)(Gaussian(random) / Math.Sqrt(32))).ToArray()).ToArray();
        foreach (var (split, rows) in new[] { ("train", train), ("validation", validation), ("test", test) })
        {
            var labels = Enumerable.Range(0, rows).Select(_ => (long)random.Next(classes)).ToArray();
            var latent = labels.Select(l => centres[l].Select(c => c + 1.5 * Gaussian(random)).ToArray()).ToArray();
            var layers = widths.Select((w, k) => (Tap: $"synthetic{k}_{w}", Matrix: new FeatureMatrix(
                latent.SelectMany(z => Enumerable.Range(0, w).Select(j => Math.Max(0f, (float)Enumerable.Range(0, 32).Sum(i => z[i] * mixings[k][i * w + j])))).ToArray(),
                rows, w))).ToDictionary(l => l.Tap, l => l.Matrix);
            ActivationExport.ExportNpy(Path.Combine(folder, split), layers, labels);
        }
        return folder;
    }

    private static double Gaussian(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
