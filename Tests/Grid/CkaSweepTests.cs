using System.Collections.Immutable;
using ProbeGrid.Analysis.Activations;
using ProbeGrid.Analysis.Checkpoints;
using ProbeGrid.Analysis.Cka;
using ProbeGrid.Analysis.Data;
using ProbeGrid.Analysis.Zoo;
using ProbeGrid.Grains.Analyses;
using ProbeGrid.Grains.Compute;
using ProbeGrid.GrainsInterfaces.Specs;
using ProbeGrid.GrainsInterfaces.Sweeps;
using ProbeGrid.Tests.Checkpoints;
using TorchSharp;
using ProbeGrid.Grains.Models;

namespace ProbeGrid.Tests.Grid;

/// <summary>The fifth analysis, linear CKA, written only through the analysis extension point, on a two-silo grid.</summary>
public sealed class CkaSweepTests
{
    private const int Checkpoints = 3;
    private const int ProbeSamples = 150;

    // The grid and the test run the network in separate float32 forward passes: MKL's kernels may round
    // differently between two passes (by CPU and by memory alignment), so they agree to float32 precision, not to the bit.
    private const int Float32Places = 6;

    [Fact]
    public async Task A_cka_sweep_gives_each_layer_its_matrix_row_and_its_similarity_to_the_previous_and_last_checkpoint()
    {
        using var root = new TempFolder();
        var checkpoints = GridTestRun.WriteCheckpoints(root.Path, Checkpoints);
        var spec = GridTestRun.Spec(checkpoints) with { Analyses = [Cka(("samples", ProbeSamples.ToString(System.Globalization.CultureInfo.InvariantCulture)))] };
        await using var grid = await GridCluster.StartAsync(root.Path, silos: 2);

        var submitted = await grid.Client.SubmitAsync(spec, "cka", root.Path);
        Assert.True(submitted.Accepted, string.Join("; ", submitted.Problems));
        var status = await GridTestRun.WaitUntilAsync(grid.Client, "cka", s => s.IsFinished);
        Assert.Equal(status.TotalUnits, status.Succeeded);
        var results = (await grid.Client.GetResultsAsync("cka")).ToDictionary(v => (v.Checkpoint, v.Layer, v.Metric), v => v.Value);

        var plan = new Grains.Planning.SweepPlanner(new Grains.Planning.DataRoots([root.Path]), root.Path).Plan(spec, "direct");
        var taps = plan.Layers.Select(l => l.Name).ToList();
        var first = GridTestRun.CheckpointName(0);
        var last = GridTestRun.CheckpointName(Checkpoints - 1);
        foreach (var checkpoint in plan.Checkpoints.Select(c => c.Name))
            foreach (var layer in taps)
            {
                Assert.Equal(1.0, results[(checkpoint, layer, CkaAnalysis.WithPrefix + layer)], 12);
                foreach (var other in taps) // the matrix is symmetric across the two layers' units
                    Assert.Equal(results[(checkpoint, other, CkaAnalysis.WithPrefix + layer)], results[(checkpoint, layer, CkaAnalysis.WithPrefix + other)], 12);
                Assert.Equal(ProbeSamples, results[(checkpoint, layer, CkaAnalysis.Samples)]);
                Assert.Equal(checkpoint != first, results.ContainsKey((checkpoint, layer, CkaAnalysis.Previous)));
            }
        Assert.All(taps, layer => Assert.Equal(1.0, results[(last, layer, CkaAnalysis.Final)], 12));
        // The input does not change with training: its CKA with any checkpoint is exactly 1.
        Assert.Equal(1.0, results[(GridTestRun.CheckpointName(1), "input", CkaAnalysis.Previous)], 12);

        // The middle checkpoint's numbers equal the library's on the same activations, computed here without the grid.
        var activations = new ActivationJob(new DatasetProvider(), new ActivationCache(Path.Combine(root.Path, "direct-cache")));
        FeatureMatrix[] ProbeSet(CheckpointRef c) => [.. taps.Select(t => Rows(activations.Run(JobInputs.Of(Work(plan, c), ModelCatalog.BuiltIn), plan.Layers, torch.CPU, CancellationToken.None).Layers[t].Test))];
        var middle = ProbeSet(plan.Checkpoints[1]);
        var matrix = LinearCka.Layers(middle);
        var toLast = LinearCka.SameLayer(middle, ProbeSet(plan.Checkpoints[^1]));
        var toFirst = LinearCka.SameLayer(middle, ProbeSet(plan.Checkpoints[0]));
        var name = plan.Checkpoints[1].Name;
        for (var i = 0; i < taps.Count; i++)
        {
            for (var j = 0; j < taps.Count; j++) Assert.Equal(matrix[i, j], results[(name, taps[i], CkaAnalysis.WithPrefix + taps[j])], Float32Places);
            Assert.Equal(toLast[i], results[(name, taps[i], CkaAnalysis.Final)], Float32Places);
            Assert.Equal(toFirst[i], results[(name, taps[i], CkaAnalysis.Previous)], Float32Places);
        }
        Assert.InRange(results[(name, "layer3", CkaAnalysis.Final)], 0.0, 0.999); // different seeds: different representations
    }

    [Fact]
    public async Task A_peer_network_is_compared_layer_by_layer_as_the_library_compares_the_same_activations()
    {
        using var root = new TempFolder();
        var checkpoints = GridTestRun.WriteCheckpoints(root.Path, 2);
        var peerFolder = WritePeer(root.Path, width: 8, steps: [500]);
        var spec = GridTestRun.Spec(checkpoints) with { Analyses = [Cka(("samples", ProbeSamples.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("peer", "peer"))] };
        await using var grid = await GridCluster.StartAsync(root.Path, silos: 1);

        var submitted = await grid.Client.SubmitAsync(spec, "peer", root.Path);
        Assert.True(submitted.Accepted, string.Join("; ", submitted.Problems));
        var status = await GridTestRun.WaitUntilAsync(grid.Client, "peer", s => s.IsFinished);
        Assert.Equal(status.TotalUnits, status.Succeeded);
        var results = (await grid.Client.GetResultsAsync("peer")).ToDictionary(v => (v.Checkpoint, v.Layer, v.Metric), v => v.Value);

        var plan = new Grains.Planning.SweepPlanner(new Grains.Planning.DataRoots([root.Path]), root.Path).Plan(spec, "direct");
        var peer = ((CkaSettings)plan.Settings[0]).Peer!;
        Assert.Equal(("mlp", "8"), (peer.Architecture, peer.Parameters["width"]));
        var taps = plan.Layers.Select(l => l.Name).ToList();
        var activations = new ActivationJob(new DatasetProvider(), new ActivationCache(Path.Combine(root.Path, "direct-cache")));
        FeatureMatrix[] ProbeSet(JobInputs inputs) => [.. taps.Select(t => Rows(activations.Run(inputs, plan.Layers, torch.CPU, CancellationToken.None).Layers[t].Test))];
        var theirs = ProbeSet(JobInputs.Of(Work(plan, plan.Checkpoints[0]), ModelCatalog.BuiltIn) with
        {
            Architecture = peer.Architecture, ModelParameters = peer.Parameters, Checkpoint = Assert.Single(peer.Checkpoints),
        });
        foreach (var checkpoint in plan.Checkpoints)
        {
            var between = LinearCka.Between(ProbeSet(JobInputs.Of(Work(plan, checkpoint), ModelCatalog.BuiltIn)), theirs);
            for (var i = 0; i < taps.Count; i++)
            {
                for (var j = 0; j < taps.Count; j++)
                    Assert.Equal(between[i, j], results[(checkpoint.Name, taps[i], CkaAnalysis.PeerWithPrefix + taps[j])], Float32Places);
                Assert.Equal(between[i, i], results[(checkpoint.Name, taps[i], CkaAnalysis.Peer)], Float32Places);
            }
            // Both networks see the same inputs: at the input tap they agree exactly; deeper, their random weights differ.
            Assert.Equal(1.0, results[(checkpoint.Name, "input", CkaAnalysis.Peer)], 12);
            Assert.InRange(results[(checkpoint.Name, "layer3", CkaAnalysis.Peer)], 0.0, 0.999);
        }
    }

    [Fact]
    public void A_peer_outside_the_data_roots_without_matching_steps_or_without_the_layers_is_refused_at_plan_time()
    {
        using var root = new TempFolder();
        using var elsewhere = new TempFolder();
        var checkpoints = GridTestRun.WriteCheckpoints(root.Path, 2);
        var planner = new Grains.Planning.SweepPlanner(new Grains.Planning.DataRoots([root.Path]), root.Path);
        SweepSpec WithPeer(string folder) => GridTestRun.Spec(checkpoints) with { Analyses = [Cka(("peer", folder))] };

        var outside = Assert.Throws<SpecException>(() => planner.Plan(WithPeer(WritePeer(elsewhere.Path, 16, [0, 10])), "bad"));
        Assert.Contains(outside.Problems, p => p.StartsWith("analyses[0].parameters.peer", StringComparison.Ordinal) && p.Contains("outside the data roots", StringComparison.Ordinal));

        var unpaired = Assert.Throws<SpecException>(() => planner.Plan(WithPeer(WritePeer(root.Path, 16, [0, 20])), "bad"));
        Assert.Contains(unpaired.Problems, p => p.Contains("the peer has no checkpoint at the step of step-0000010 (step 10)", StringComparison.Ordinal));

        var shallow = Path.Combine(root.Path, "shallow");
        Directory.CreateDirectory(shallow);
        var parameters = GridTestRun.ModelParameters.SetItem("depth", "1");
        new ModelDescriptor(GridTestRun.Architecture, parameters, [16], 2, 0, DatasetCatalog.GaussianSignName).Save(shallow);
        using (var model = ModelZoo.Create(GridTestRun.Architecture, parameters, [16], 2, seed: 1))
            CheckpointFile.Save(model, Path.Combine(shallow, "step-0000000.pt"));
        var missing = Assert.Throws<SpecException>(() => planner.Plan(WithPeer("shallow"), "bad"));
        Assert.Contains(missing.Problems, p => p.Contains("the peer's network (mlp) has no layer layer2, layer3", StringComparison.Ordinal));
    }

    /// <summary>A peer run in root/peer: an MLP of <paramref name="width"/> (in its model.json), one checkpoint per step, seeds of its own.</summary>
    private static string WritePeer(string root, int width, long[] steps)
    {
        var folder = Path.Combine(root, "peer");
        Directory.CreateDirectory(folder);
        var parameters = GridTestRun.ModelParameters.SetItem("width", width.ToString(System.Globalization.CultureInfo.InvariantCulture));
        new ModelDescriptor(GridTestRun.Architecture, parameters, [16], 2, 0, DatasetCatalog.GaussianSignName).Save(folder);
        foreach (var step in steps)
        {
            using var model = ModelZoo.Create(GridTestRun.Architecture, parameters, [16], 2, seed: 900 + step);
            CheckpointFile.Save(model, Path.Combine(folder, Analysis.Training.ModelTrainer.CheckpointFileName(step)));
        }
        return folder;
    }

    [Fact]
    public void A_cka_spec_with_bad_parameters_is_refused_at_plan_time_with_every_problem()
    {
        using var root = new TempFolder();
        var checkpoints = GridTestRun.WriteCheckpoints(root.Path, 1);
        var planner = new Grains.Planning.SweepPlanner(new Grains.Planning.DataRoots([root.Path]), root.Path);
        var spec = GridTestRun.Spec(checkpoints) with
        {
            Analyses = [Cka(("samples", "5000"), ("estimator", "biased"), ("minibatchSize", "64"))],
            Reduction = new ReductionSpec(Reduction.SpatialMean, 0, 0),
        };
        var error = Assert.Throws<SpecException>(() => planner.Plan(spec, "bad"));
        Assert.Contains(error.Problems, p => p.Contains("minibatchSize needs estimator Debiased", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.Contains("averages the maps, and CKA of pooled features measures something else", StringComparison.Ordinal));
        var unknown = Assert.Throws<SpecException>(() => planner.Plan(spec with { Analyses = [Cka(("estimator", "kernel"))], Reduction = new ReductionSpec("flatten", 0, 0) }, "bad"));
        Assert.Contains("analyses[0].parameters.estimator 'kernel' is not an estimator: use biased or debiased", unknown.Problems);
        var tooMany = Assert.Throws<SpecException>(() => planner.Plan(spec with { Analyses = [Cka(("samples", "5000"))], Reduction = new ReductionSpec("flatten", 0, 0) }, "bad"));
        Assert.Contains(tooMany.Problems, p => p.Contains("samples 5000 is more than the test split's 200 samples", StringComparison.Ordinal));
    }

    private static AnalysisSpec Cka(params (string Name, string Value)[] parameters) =>
        new(CkaAnalysis.Kind, ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, parameters.Select(p => KeyValuePair.Create(p.Name, p.Value))));

    private static CheckpointWork Work(SweepPlan plan, CheckpointRef checkpoint) =>
        new("direct", plan.Spec, plan.Architecture, plan.ModelParameters, checkpoint, plan.Layers, 0, null, plan.Layers);

    private static FeatureMatrix Rows(FeatureMatrix split) => new(split.Data[..(ProbeSamples * split.Columns)], ProbeSamples, split.Columns);
}
