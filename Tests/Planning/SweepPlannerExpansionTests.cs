using System.Collections.Immutable;
using ProbeGrid.Analysis.Checkpoints;
using ProbeGrid.Analysis.Data;
using ProbeGrid.Analysis.Training;
using ProbeGrid.Analysis.Zoo;
using ProbeGrid.Grains.Planning;
using ProbeGrid.GrainsInterfaces.Specs;
using ProbeGrid.GrainsInterfaces.Sweeps;
using ProbeGrid.Tests.Checkpoints;

namespace ProbeGrid.Tests.Planning;

/// <summary>A valid spec expands into the plan: checkpoints in training order, layers in depth order, the unit count.</summary>
public class SweepPlannerExpansionTests
{
    private static SweepPlanner Planner(string root) => new(new DataRoots([root]), root);

    private static string Spec(string model, string layers = "\"*\"", int repeats = 1, string analyses = "{ \"kind\": \"probe\" }") => $$"""
        {
          "model": {{model}},
          "dataset": { "name": "gaussian-sign", "parameters": { "dimension": 4, "trainCount": 64, "validationCount": 16, "testCount": 16 } },
          "layers": {{layers}},
          "analyses": [ {{analyses}} ],
          "repeats": {{repeats}}
        }
        """;

    private static (string Name, int Index)[] Layers(SweepPlan plan) => plan.Layers.Select(l => (l.Name, l.Index)).ToArray();

    [Fact]
    public void A_trained_folder_expands_in_training_order_with_the_architecture_from_model_json()
    {
        using var temp = new TempFolder();
        var run = Path.Combine(temp.Path, "runs", "a");
        var descriptor = new ModelDescriptor("mlp", new Dictionary<string, string> { ["depth"] = "2", ["width"] = "8" }, [4], 2, 5, "gaussian-sign");
        using (var model = descriptor.CreateModel())
        {
            var data = GaussianSignDataset.Generate(4, 64, 1, 1, seed: 2).Train;
            var options = new TrainingOptions { Steps = 30, BatchSize = 16, LearningRate = 1e-2, CheckpointEverySteps = 10, Seed = 3 };
            Assert.True(ModelTrainer.Train(model, data, options, run, descriptor, CancellationToken.None).Completed);
        }
        var spec = SweepSpecReader.Parse(Spec("{ \"checkpoints\": \"runs/a\" }", layers: "[\"logits\", \"input\", \"layer2\"]", repeats: 2));
        Assert.Null(spec.Model.Architecture);

        var plan = Planner(temp.Path).Plan(spec, "sweep-1");

        Assert.Equal("sweep-1", plan.SweepId);
        Assert.Same(spec, plan.Spec);
        Assert.Equal("mlp", plan.Architecture);
        Assert.Equal(new Dictionary<string, string> { ["depth"] = "2", ["width"] = "8" }, plan.ModelParameters);
        Assert.Equal(["step-0000000", "step-0000010", "step-0000020", "step-0000030"], plan.Checkpoints.Select(c => c.Name));
        Assert.Equal([0L, 10, 20, 30], plan.Checkpoints.Select(c => c.Step));
        Assert.Equal(plan.Checkpoints.Select(c => Path.Combine(run, c.Name + ".pt")), plan.Checkpoints.Select(c => c.Path));
        Assert.Equal([("input", 0), ("layer2", 2), ("logits", 3)], Layers(plan));
        Assert.Equal([4, 8, 2], plan.Layers.Select(l => l.Width)); // 4 inputs, 8 units, 2 classes; all under the default 2048
        Assert.Equal(4 * 3 * 1 * 2, plan.UnitCount);

        var units = plan.Units().ToList();
        Assert.Equal(24, units.Distinct().Count());
        Assert.Equal(new UnitKey("step-0000000", "input", "probe", 0), units[0]);
        Assert.Equal(new UnitKey("step-0000030", "logits", "probe", 1), units[^1]);
    }

    [Fact]
    public void Checkpoints_without_an_index_are_ordered_by_the_step_number_in_their_names_not_by_text()
    {
        using var temp = new TempFolder();
        var run = Path.Combine(temp.Path, "run");
        CheckpointFolderWriter.Write(run, [100, 2, 10, 0]);
        File.Move(Path.Combine(run, "step-0000100.pt"), Path.Combine(run, "step-100.pt"));
        File.Move(Path.Combine(run, "step-0000002.pt"), Path.Combine(run, "step-2.pt"));

        var plan = Planner(temp.Path).Plan(SweepSpecReader.Parse(Spec("{ \"checkpoints\": \"run\" }")), "s");

        Assert.Equal(["step-0000000", "step-2", "step-0000010", "step-100"], plan.Checkpoints.Select(c => c.Name));
        Assert.Equal([0L, 2, 10, 100], plan.Checkpoints.Select(c => c.Step));
    }

    [Fact]
    public void Checkpoints_named_without_numbers_are_ordered_by_write_time_and_numbered_by_position()
    {
        using var temp = new TempFolder();
        var run = Path.Combine(temp.Path, "run");
        var paths = CheckpointFolderWriter.Write(run, [1, 2, 3]);
        var t0 = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        foreach (var (path, name, hours) in new[] { (paths[0], "late.pt", 3), (paths[1], "early.pt", 1), (paths[2], "middle.pt", 2) })
        {
            var renamed = Path.Combine(run, name);
            File.Move(path, renamed);
            File.SetLastWriteTimeUtc(renamed, t0.AddHours(hours));
        }

        var plan = Planner(temp.Path).Plan(SweepSpecReader.Parse(Spec("{ \"checkpoints\": \"run\" }")), "s");

        Assert.Equal(["early", "middle", "late"], plan.Checkpoints.Select(c => c.Name));
        Assert.Equal([0L, 1, 2], plan.Checkpoints.Select(c => c.Step));
    }

    [Fact]
    public void A_glob_selects_the_checkpoints_it_matches()
    {
        using var temp = new TempFolder();
        var run = Path.Combine(temp.Path, "run");
        CheckpointFolderWriter.Write(run, [0, 5, 10, 15], withIndex: true);

        var globbed = Planner(temp.Path).Plan(SweepSpecReader.Parse(Spec("{ \"checkpoints\": \"run/step-000001*.pt\" }")), "s");
        Assert.Equal([10L, 15], globbed.Checkpoints.Select(c => c.Step));
        Assert.Equal("mlp", globbed.Architecture); // model.json is read from the glob's folder
    }

    [Fact]
    public void Layers_come_out_in_depth_order_whatever_order_the_spec_lists_them()
    {
        using var temp = new TempFolder();
        var model = "{ \"architecture\": \"mlp\", \"parameters\": { \"depth\": 5, \"width\": 4 } }";
        var planner = Planner(temp.Path);

        var some = planner.Plan(SweepSpecReader.Parse(Spec(model, "[\"logits\", \"layer4\", \"input\", \"layer1\"]")), "s");
        Assert.Equal([("input", 0), ("layer1", 1), ("layer4", 4), ("logits", 6)], Layers(some));

        var all = planner.Plan(SweepSpecReader.Parse(Spec(model, "\"*\"")), "s");
        Assert.Equal([("input", 0), ("layer1", 1), ("layer2", 2), ("layer3", 3), ("layer4", 4), ("layer5", 5), ("logits", 6)], Layers(all));
        Assert.Equal(7, all.UnitCount);
    }

    [Fact]
    public void Layer_widths_are_the_feature_counts_after_the_reduction()
    {
        using var temp = new TempFolder();
        var model = "{ \"architecture\": \"mlp\", \"parameters\": { \"depth\": 2, \"width\": 64 } }";
        var json = Spec(model).Replace("\"layers\"", "\"reduction\": { \"kind\": \"random-projection\", \"maxDims\": 16 }, \"layers\"");

        var projected = Planner(temp.Path).Plan(SweepSpecReader.Parse(json), "s");
        var flat = Planner(temp.Path).Plan(SweepSpecReader.Parse(Spec(model)) with { Reduction = new ReductionSpec("flatten", 0, 0) }, "s");

        // input 4 and logits 2 are below 16 and kept whole; the 64-unit layers are projected to 16.
        Assert.Equal([4, 16, 16, 2], projected.Layers.Select(l => l.Width));
        Assert.Equal([4, 64, 64, 2], flat.Layers.Select(l => l.Width));
    }

    [Fact]
    public void A_network_too_large_to_build_is_planned_without_building_it()
    {
        using var temp = new TempFolder();
        // 64 layers of 65536 x 65536 weights: about 1 TB of floats, had the planner built the network to read its tap shapes.
        var model = $"{{ \"architecture\": \"mlp\", \"parameters\": {{ \"depth\": 64, \"width\": {MlpConfig.MaxWidth} }} }}";
        var json = Spec(model).Replace("\"layers\"", "\"reduction\": { \"kind\": \"random-projection\", \"maxDims\": 512 }, \"layers\"");

        var plan = Planner(temp.Path).Plan(SweepSpecReader.Parse(json), "s");

        Assert.Equal(66, plan.Layers.Length);
        Assert.Equal([4, .. Enumerable.Repeat(512, 64), 2], plan.Layers.Select(l => l.Width));
    }

    [Fact]
    public void An_untrained_network_is_one_checkpoint_at_step_zero_and_units_multiply_over_repeats()
    {
        using var temp = new TempFolder();
        var spec = SweepSpecReader.Parse(Spec("{ \"architecture\": \"mlp\", \"parameters\": { \"depth\": 2, \"width\": 4 } }", repeats: 5));

        var plan = Planner(temp.Path).Plan(spec, "fig3");

        Assert.Equal([new CheckpointRef("untrained", 0, null)], plan.Checkpoints.ToArray());
        Assert.Equal("mlp", plan.Architecture);
        Assert.Equal(new Dictionary<string, string> { ["depth"] = "2", ["width"] = "4" }, plan.ModelParameters);
        Assert.Equal(1 * 4 * 1 * 5, plan.UnitCount);
        Assert.Equal(Enumerable.Range(0, 5), plan.Units().Select(u => u.Repeat).Distinct());
    }

    [Fact]
    public void Spec_parameters_that_describe_the_model_json_network_are_kept_as_written()
    {
        using var temp = new TempFolder();
        CheckpointFolderWriter.Write(Path.Combine(temp.Path, "run"), [0]);
        var spec = SweepSpecReader.Parse(Spec("{ \"checkpoints\": \"run\", \"parameters\": { \"depth\": 3, \"width\": 8, \"activation\": \"leaky_relu\" } }"));

        var plan = Planner(temp.Path).Plan(spec, "s");

        Assert.Equal("mlp", plan.Architecture);
        Assert.Equal(spec.Model.Parameters, plan.ModelParameters);
        Assert.Equal(5, plan.Layers.Length);
    }

    [Fact]
    public void Model_parameters_that_contradict_model_json_are_reported()
    {
        using var temp = new TempFolder();
        CheckpointFolderWriter.Write(Path.Combine(temp.Path, "run"), [0]);
        var modelJson = Path.Combine(temp.Path, "run", "model.json");
        // depth differs from model.json's 3; activation relu differs from the default leaky_relu that model.json leaves implicit.
        var spec = SweepSpecReader.Parse(Spec("{ \"checkpoints\": \"run\", \"parameters\": { \"depth\": 5, \"width\": 8, \"activation\": \"relu\" } }"));

        var e = Assert.Throws<SpecException>(() => Planner(temp.Path).Plan(spec, "s"));

        Assert.Equal([
            $"model.parameters.activation 'relu' contradicts activation = leaky_relu recorded in {modelJson} for these checkpoints: leave activation out (model.json's value is used) or correct it",
            $"model.parameters.depth '5' contradicts depth = 3 recorded in {modelJson} for these checkpoints: leave depth out (model.json's value is used) or correct it",
        ], e.Problems);
    }

    [Fact]
    public void Spec_parameters_that_spell_model_json_values_differently_do_not_contradict_them()
    {
        using var temp = new TempFolder();
        CheckpointFolderWriter.Write(Path.Combine(temp.Path, "run"), [0]);
        // model.json gives depth 3, width 8 and leaves every other parameter at its default.
        var spec = SweepSpecReader.Parse(Spec(
            "{ \"architecture\": \"mlp\", \"checkpoints\": \"run\", \"parameters\": { \"width\": \"08\", \"activation\": \"leaky_relu\", \"negativeSlope\": 0.50, \"init\": \"glorot_normal\" } }"));

        var plan = Planner(temp.Path).Plan(spec, "s");

        // depth comes from model.json; the spec's own spellings are kept.
        Assert.Equal(new Dictionary<string, string> { ["activation"] = "leaky_relu", ["depth"] = "3", ["init"] = "glorot_normal", ["negativeSlope"] = "0.50", ["width"] = "08" },
            plan.ModelParameters);
        Assert.Equal(["input", "layer1", "layer2", "layer3", "logits"], plan.Layers.Select(l => l.Name));
    }

    [Fact]
    public void Naming_the_architecture_without_parameters_still_takes_the_parameters_from_model_json()
    {
        using var temp = new TempFolder();
        CheckpointFolderWriter.Write(Path.Combine(temp.Path, "run"), [0]);
        var spec = SweepSpecReader.Parse(Spec("{ \"architecture\": \"mlp\", \"checkpoints\": \"run\" }"));

        var plan = Planner(temp.Path).Plan(spec, "s");

        Assert.Equal(CheckpointFolderWriter.SmallMlp, plan.ModelParameters);
        Assert.Equal(["input", "layer1", "layer2", "layer3", "logits"], plan.Layers.Select(l => l.Name));
    }

    [Fact]
    public void Spec_parameters_without_the_architecture_are_completed_from_model_json()
    {
        using var temp = new TempFolder();
        CheckpointFolderWriter.Write(Path.Combine(temp.Path, "run"), [0]);
        var spec = SweepSpecReader.Parse(Spec("{ \"checkpoints\": \"run\", \"parameters\": { \"width\": 8 } }"));

        var plan = Planner(temp.Path).Plan(spec, "s");

        Assert.Equal("mlp", plan.Architecture);
        Assert.Equal(CheckpointFolderWriter.SmallMlp, plan.ModelParameters); // depth 3 from model.json, not the zoo's default 32
        Assert.Equal(5, plan.Layers.Length);
    }
}
