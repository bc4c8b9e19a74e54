using System.Collections.Immutable;
using ProbeGrid.Analysis.Checkpoints;
using ProbeGrid.Analysis.Data;
using ProbeGrid.Analysis.Zoo;
using ProbeGrid.Client;
using ProbeGrid.GrainsInterfaces.Specs;
using ProbeGrid.GrainsInterfaces.Sweeps;

namespace ProbeGrid.Tests.Grid;

/// <summary>
/// A small, fast sweep on real files: an MLP (depth 3, width 16: taps input, layer1..3, logits)
/// with checkpoints from different seeds, on Gaussian sign(x·w) data of dimension 16.
/// </summary>
internal static class GridTestRun
{
    public const string Architecture = "mlp";
    public static readonly ImmutableSortedDictionary<string, string> ModelParameters =
        ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("depth", "3"), KeyValuePair.Create("width", "16")]);

    public const int Taps = 5;

    /// <summary>Writes <paramref name="count"/> checkpoints (step-0000000.pt, step-0000010.pt, ...) and model.json into root/run.</summary>
    public static string WriteCheckpoints(string root, int count)
    {
        var folder = Path.Combine(root, "run");
        Directory.CreateDirectory(folder);
        var dataset = DatasetParameters(16, 400, 100, 200);
        var sampleShape = DatasetCatalog.SampleShape(DatasetCatalog.GaussianSignName, dataset);
        new ModelDescriptor(Architecture, ModelParameters, sampleShape, 2, 0, DatasetCatalog.GaussianSignName).Save(folder);
        for (var i = 0; i < count; i++)
        {
            using var model = ModelZoo.Create(Architecture, ModelParameters, sampleShape, 2, seed: 100 + i);
            CheckpointFile.Save(model, Path.Combine(folder, Analysis.Training.ModelTrainer.CheckpointFileName(10 * i)));
        }
        return folder;
    }

    /// <summary>Rewrites a checkpoint of <see cref="WriteCheckpoints"/> with NaN in one element of one parameter (flat index).</summary>
    public static void PutNaN(string checkpoint, string parameter, long element)
    {
        var dataset = DatasetParameters(16, 400, 100, 200);
        using var model = ModelZoo.Create(Architecture, ModelParameters, DatasetCatalog.SampleShape(DatasetCatalog.GaussianSignName, dataset), 2, seed: 0);
        CheckpointFile.Load(model, checkpoint);
        using (TorchSharp.torch.no_grad())
            model.named_parameters().Single(p => p.name == parameter).parameter.view(-1)[element].fill_(float.NaN);
        CheckpointFile.Save(model, checkpoint);
    }

    /// <summary>The name of the i-th checkpoint <see cref="WriteCheckpoints"/> writes.</summary>
    public static string CheckpointName(int i) => Path.GetFileNameWithoutExtension(Analysis.Training.ModelTrainer.CheckpointFileName(10 * i));

    public static ImmutableSortedDictionary<string, string> DatasetParameters(int dimension, int train, int validation, int test) =>
        ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, string>
        {
            [DatasetCatalog.DimensionParameter] = dimension.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [DatasetCatalog.TrainCountParameter] = train.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [DatasetCatalog.ValidationCountParameter] = validation.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [DatasetCatalog.TestCountParameter] = test.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });

    public static SweepSpec Spec(string checkpoints, int maxEpochs = 10, int dimension = 16, int train = 400, bool warmStart = false, int repeats = 1) => new(
        null,
        new ModelSpec(null, ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal), checkpoints, 0),
        new DatasetSpec(DatasetCatalog.GaussianSignName, DatasetParameters(dimension, train, 100, 200), 7),
        ["*"],
        new ReductionSpec("flatten", 0, 0),
        [new AnalysisSpec("probe", ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, string>
        {
            // The paper's trained probe: these tests' numbers and timings were set with it (OptimalProbeSweepTests runs the default).
            ["optimizer"] = "rmsprop",
            ["maxEpochs"] = maxEpochs.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["patience"] = "3",
            ["warmStart"] = warmStart ? "true" : "false",
        }))],
        new ResourceSpec("cpu", 256),
        repeats);

    public static async Task<SweepStatus> WaitUntilAsync(ProbeGridClient client, string sweepId, Func<SweepStatus, bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromMinutes(3));
        while (true)
        {
            var status = await client.GetStatusAsync(sweepId);
            if (condition(status)) return status;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"sweep {sweepId} did not reach the expected state; last: {status}");
            await Task.Delay(100);
        }
    }
}
