using System.Collections.Immutable;
using ProbeGrid.Analysis.Activations;
using ProbeGrid.Grains.Analyses;
using ProbeGrid.Grains.Compute;
using ProbeGrid.Grains.Models;
using ProbeGrid.Grains.Planning;
using ProbeGrid.GrainsInterfaces.Specs;
using ProbeGrid.GrainsInterfaces.Sweeps;
using ProbeGrid.Tests.Checkpoints;
using TorchSharp;

namespace ProbeGrid.Tests.Grid;

/// <summary>
/// A checkpoint's probe job under a memory budget too small for all its taps at once: it streams through the activation cache,
/// a group of taps at a time, within the budget where a group can fit, and its metrics are those of the job that held every tap, bit for bit.
/// </summary>
public sealed class ProbeStreamingTests
{
    private static (JobInputs Inputs, ImmutableArray<LayerRef> Layers, ProbeSettings Settings) Plan(string root, Dictionary<string, string> parameters)
    {
        var spec = GridTestRun.Spec(GridTestRun.WriteCheckpoints(root, 1)) with
        {
            Analyses = [new AnalysisSpec("probe", ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, parameters))],
        };
        var plan = new SweepPlanner(new DataRoots([root]), root).Plan(spec, "stream");
        return (JobInputs.Of(plan.WorkFor(0, 0, plan.Layers), ModelCatalog.BuiltIn), plan.Layers, (ProbeSettings)plan.Settings[0]);
    }

    private static Dictionary<(string Layer, string Metric), long> Metrics(string cache, JobInputs inputs, ImmutableArray<LayerRef> layers, ProbeSettings settings, ProbeMemoryPlan plan)
    {
        var result = ProbeJob.Run(new ActivationJob(new DatasetProvider(), new ActivationCache(cache)), inputs, plan, settings, null, torch.CPU, CancellationToken.None);
        // Bit patterns: "identical" means the same doubles, not doubles within a tolerance.
        return layers.SelectMany(l => ProbeAnalysis.Metrics(result.For(l.Name), inputs.Checkpoint, l, 0))
            .ToDictionary(m => (m.Layer, m.Metric), m => BitConverter.DoubleToInt64Bits(m.Value));
    }

    public static TheoryData<string> Optimizers => new() { "optimal", "rmsprop" };

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Probes_streamed_tap_by_tap_through_the_cache_give_the_metrics_of_probes_trained_with_every_tap_in_memory(string optimizer)
    {
        using var root = new TempFolder();
        var parameters = optimizer == "optimal"
            ? new Dictionary<string, string> { ["optimizer"] = "optimal", ["l2Grid"] = "1e-3,1e-1" }
            : new Dictionary<string, string> { ["optimizer"] = "rmsprop", ["maxEpochs"] = "4", ["patience"] = "2" };
        var (inputs, layers, settings) = Plan(root.Path, parameters);
        var inMemory = ProbeMemoryPlan.For(inputs, layers, settings, long.MaxValue);
        var streamed = ProbeMemoryPlan.For(inputs, layers, settings, budgetBytes: 1); // nothing fits: every tap is a group of its own

        Assert.False(inMemory.Streams);
        Assert.True(streamed.Streams);
        Assert.Equal(layers.Select(l => new[] { l }), streamed.TrainingGroups.Select(g => g.ToArray()));
        var streamedCache = Path.Combine(root.Path, "streamed");
        var expected = Metrics(Path.Combine(root.Path, "in-memory"), inputs, layers, settings, inMemory);
        var actual = Metrics(streamedCache, inputs, layers, settings, streamed);

        Assert.Equal(layers.Length * (optimizer == "optimal" ? 12 : 9), expected.Count);
        Assert.Equal(expected, actual);
        // Extracted into the cache first: every tap on every split.
        Assert.Equal(3 * layers.Length, Directory.GetFiles(streamedCache, "*.npy", SearchOption.AllDirectories).Length);
    }

    [Fact]
    public void A_budget_below_the_whole_job_streams_in_groups_that_each_fit_and_the_estimate_is_the_largest_phase()
    {
        using var root = new TempFolder();
        var (inputs, layers, settings) = Plan(root.Path, new Dictionary<string, string> { ["optimizer"] = "optimal" });
        var whole = ProbeMemoryPlan.For(inputs, layers, settings, long.MaxValue).EstimatedBytes;
        // The solver takes one layer at a time, so its working memory is counted once; the features of all five taps are what a smaller budget sheds.
        var single = layers.Select(l => ProbeMemoryPlan.For(inputs, [l], settings, long.MaxValue).EstimatedBytes).Max();
        var budget = (whole + single) / 2;

        var plan = ProbeMemoryPlan.For(inputs, layers, settings, budget);

        Assert.True(single < budget && budget < whole, $"single tap {single}, budget {budget}, whole {whole}");
        Assert.True(plan.Streams);
        Assert.InRange(plan.TrainingGroups.Count, 2, layers.Length - 1);
        Assert.Equal(layers, plan.TrainingGroups.SelectMany(g => g));
        Assert.Equal(layers, plan.ExtractionGroups.SelectMany(g => g));
        Assert.InRange(plan.EstimatedBytes, single, budget);
    }

    [Fact]
    public void Lbfgs_probes_step_all_layers_as_one_vector_so_their_training_never_splits()
    {
        using var root = new TempFolder();
        var (inputs, layers, settings) = Plan(root.Path, new Dictionary<string, string> { ["optimizer"] = "lbfgs" });

        var plan = ProbeMemoryPlan.For(inputs, layers, settings, budgetBytes: 1);

        Assert.True(plan.Streams);
        Assert.Equal(layers, Assert.Single(plan.TrainingGroups));
        Assert.Equal(layers.Length, plan.ExtractionGroups.Count);
    }
}
