using ProbeGrid.Grains.Planning;
using ProbeGrid.GrainsInterfaces.Specs;
using ProbeGrid.Tests.Checkpoints;

namespace ProbeGrid.Tests.Planning;

/// <summary>A spec that cannot run is refused before any work, with every problem listed at once.</summary>
public class SweepPlannerRejectionTests : IDisposable
{
    private const string GoodModel = "{ \"architecture\": \"mlp\", \"parameters\": { \"depth\": 2, \"width\": 4 } }";
    private const string GoodDataset = "{ \"name\": \"gaussian-sign\", \"parameters\": { \"dimension\": 4 } }";
    private const string Taps = "input, layer1, layer2, logits";

    private readonly TempFolder temp = new();

    public SweepPlannerRejectionTests()
    {
        Directory.CreateDirectory(Root);
        Directory.CreateDirectory(Outside);
        CheckpointFolderWriter.Write(Path.Combine(Root, "run"), [0, 10]);
        CheckpointFolderWriter.Write(Path.Combine(Outside, "run"), [0, 10]);
    }

    public void Dispose() => temp.Dispose();

    private string Root => temp.File("data");

    private string Outside => temp.File("outside");

    private SweepPlanner Planner => new(new DataRoots([Root]), Root);

    private static string Spec(string model = GoodModel, string dataset = GoodDataset, string layers = "\"*\"",
        string analyses = "{ \"kind\": \"probe\" }", string reduction = "{ \"kind\": \"flatten\" }") => $$"""
        {
          "model": {{model}},
          "dataset": {{dataset}},
          "layers": {{layers}},
          "reduction": {{reduction}},
          "analyses": [ {{analyses}} ]
        }
        """;

    private string[] Problems(string json) => Problems(SweepSpecReader.Parse(json));

    private string[] Problems(SweepSpec spec) => Assert.Throws<SpecException>(() => Planner.Plan(spec, "s")).Problems;

    private static void AssertHas(string[] problems, params string[] fragments) =>
        Assert.True(problems.Any(p => fragments.All(f => p.Contains(f, StringComparison.Ordinal))),
            $"no problem contains all of [{string.Join(" | ", fragments)}]; problems:{Environment.NewLine}{string.Join(Environment.NewLine, problems)}");

    [Fact]
    public void The_specs_below_differ_from_a_valid_one_only_in_their_mistake()
    {
        var plan = Planner.Plan(SweepSpecReader.Parse(Spec()), "s");
        Assert.Equal(4, plan.UnitCount);
        Assert.Equal(2, Planner.Plan(SweepSpecReader.Parse(Spec(model: "{ \"checkpoints\": \"run\" }", layers: "[\"input\"]")), "s").UnitCount);
    }

    [Fact]
    public void Every_problem_is_listed_at_once()
    {
        var problems = Problems(Spec(
            model: "{ \"architecture\": \"mlp\", \"parameters\": { \"depth\": 2, \"width\": 4 } }",
            dataset: "{ \"name\": \"fashion-mnist\", \"parameters\": { \"root\": \"../outside\" } }",
            layers: "[\"layer2\", \"layer9\", \"conv1\"]",
            reduction: "{ \"kind\": \"pca\" }",
            analyses: "{ \"kind\": \"probe\", \"parameters\": { \"optimiser\": \"adam\" } }, { \"kind\": \"shapley\" }, { \"kind\": \"probe\" }"));

        AssertHas(problems, "dataset.parameters.root '../outside' is outside the data roots", Root);
        AssertHas(problems, "layers: 'layer9' is not a tap of this model; its taps are " + Taps);
        AssertHas(problems, "layers: 'conv1' is not a tap of this model");
        AssertHas(problems, "reduction: kind 'pca' is not a reduction: use flatten, spatial-mean, random-projection");
        AssertHas(problems, "analyses[0].parameters.optimiser is not a probe parameter: use optimizer, learningRate");
        AssertHas(problems, "analyses[1].kind 'shapley' is not an analysis ProbeGrid runs: use probe, wasserstein, complexity, discarding, cka, synthetic");
        AssertHas(problems, "analyses names the same kind twice");
        Assert.Equal(7, problems.Length);
    }

    [Fact]
    public void An_unknown_architecture_is_named_with_the_known_ones()
    {
        var problems = Problems(Spec(model: "{ \"architecture\": \"resnet\" }"));
        Assert.Equal([$"model: unknown architecture 'resnet'; known: {string.Join(", ", Analysis.Zoo.ArchitectureRegistry.BuiltIn.Names)}."], problems);
    }

    [Fact]
    public void Bad_model_parameters_and_a_sample_shape_the_model_cannot_take_are_reported()
    {
        AssertHas(Problems(Spec(model: "{ \"architecture\": \"mlp\", \"parameters\": { \"depth\": 0, \"widht\": 4 } }")), "model: ", "'depth'");
        // The convnet needs images; gaussian-sign gives vectors.
        AssertHas(Problems(Spec(model: "{ \"architecture\": \"mnist-convnet\" }")), "model: mnist-convnet: sample shape [4]");
    }

    [Fact]
    public void A_bad_dataset_is_reported_and_layers_are_not_judged_against_an_unknown_input()
    {
        var problems = Problems(Spec(dataset: "{ \"name\": \"cifar\" }", layers: "[\"nope\"]"));
        Assert.Equal(["dataset: unknown data set 'cifar'; known data sets are fashion-mnist, gaussian-sign, fashion-mnist-mosaic, random-task, fashion-mnist-canvas"], problems);
    }

    [Fact]
    public void A_missing_checkpoint_folder_is_reported()
    {
        var problems = Problems(Spec(model: "{ \"architecture\": \"mlp\", \"checkpoints\": \"runs/missing\" }"));
        var problem = Assert.Single(problems);
        Assert.StartsWith("model.checkpoints: ", problem, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(Root, "runs", "missing"), problem, StringComparison.Ordinal);
        Assert.Contains("does not exist", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_architecture_needs_a_model_json()
    {
        File.Delete(Path.Combine(Root, "run", "model.json"));
        var problem = Assert.Single(Problems(Spec(model: "{ \"checkpoints\": \"run\" }")));
        Assert.Equal($"model.architecture is missing and {Path.Combine(Root, "run")} has no model.json: name the architecture in the spec", problem);
    }

    [Fact]
    public void An_architecture_that_differs_from_model_json_is_reported()
    {
        var problems = Problems(Spec(model: "{ \"architecture\": \"mnist-convnet\", \"checkpoints\": \"run\" }",
            dataset: "{ \"name\": \"fashion-mnist\" }"));

        // The mlp checkpoints were trained on gaussian-sign vectors, so the images do not fit them either: all three are told at once.
        Assert.Equal(3, problems.Length);
        Assert.Equal($"model.architecture 'mnist-convnet' differs from 'mlp' recorded in {Path.Combine(Root, "run", "model.json")}: leave it out or correct it", problems[0]);
        AssertHas(problems, "sample shape [4]");
        AssertHas(problems, "has 10 classes but the checkpoints classify into 2");
    }

    [Theory]
    [InlineData("../outside/run")]
    [InlineData("run/../../outside/run")]
    [InlineData("/etc")]
    public void A_checkpoint_folder_outside_the_data_roots_is_refused(string checkpoints)
    {
        var problem = Assert.Single(Problems(Spec(model: $"{{ \"checkpoints\": \"{checkpoints}\" }}")));
        Assert.Equal($"model.checkpoints '{checkpoints}' is outside the data roots ({Root}): move it under one, or add a root with --data-root / PROBEGRID_DATA_ROOTS", problem);
    }

    [Fact]
    public void A_checkpoint_folder_reached_through_a_symbolic_link_to_outside_is_refused()
    {
        Directory.CreateSymbolicLink(Path.Combine(Root, "linked"), Path.Combine(Outside, "run"));
        var problem = Assert.Single(Problems(Spec(model: "{ \"checkpoints\": \"linked\" }")));
        Assert.StartsWith("model.checkpoints 'linked' is outside the data roots", problem, StringComparison.Ordinal);

        Directory.CreateSymbolicLink(Path.Combine(Root, "alias"), Path.Combine(Root, "run"));
        Assert.Equal(2, Planner.Plan(SweepSpecReader.Parse(Spec(model: "{ \"checkpoints\": \"alias\" }")), "s").Checkpoints.Length);
    }

    [Fact]
    public void A_dataset_root_outside_the_data_roots_is_refused_and_one_inside_is_accepted()
    {
        var outside = Problems(Spec(dataset: "{ \"name\": \"fashion-mnist\", \"parameters\": { \"root\": \"/usr/share/datasets/fashion-mnist\" } }"));
        Assert.Equal([$"dataset.parameters.root '/usr/share/datasets/fashion-mnist' is outside the data roots ({Root}): move the data under one, or add a root with --data-root / PROBEGRID_DATA_ROOTS"], outside);

        Directory.CreateDirectory(Path.Combine(Root, "fmnist"));
        var plan = Planner.Plan(SweepSpecReader.Parse(Spec(dataset: "{ \"name\": \"fashion-mnist\", \"parameters\": { \"root\": \"fmnist\" } }")), "s");
        Assert.Equal(4, plan.UnitCount);
    }

    [Fact]
    public void Unknown_layers_are_each_reported_with_the_models_taps()
    {
        var problems = Problems(Spec(layers: "[\"input\", \"layer3\", \"fc1\"]"));
        Assert.Equal([
            "layers: 'layer3' is not a tap of this model; its taps are " + Taps,
            "layers: 'fc1' is not a tap of this model; its taps are " + Taps,
        ], problems);
    }

    [Fact]
    public void An_unknown_analysis_kind_is_named_with_the_kinds_that_exist()
    {
        Assert.Equal(["analyses[0].kind 'sid' is not an analysis ProbeGrid runs: use probe, wasserstein, complexity, discarding, cka, synthetic"],
            Problems(Spec(analyses: "{ \"kind\": \"sid\" }")));
        Assert.Equal(["probe", "wasserstein", "complexity", "discarding", "cka", "synthetic"], Grains.Analyses.AnalysisRegistry.BuiltIn.Kinds);
    }

    [Fact]
    public void The_same_analysis_kind_twice_is_refused()
    {
        Assert.Equal(["analyses names the same kind twice: give each kind once with its parameters"],
            Problems(Spec(analyses: "{ \"kind\": \"probe\" }, { \"kind\": \"probe\", \"parameters\": { \"seed\": 2 } }")));
    }

    [Fact]
    public void Bad_probe_parameters_are_reported_with_the_analysis_path()
    {
        var problems = Problems(Spec(analyses: "{ \"kind\": \"probe\", \"parameters\": { \"optimizer\": \"rmsprop\", \"maxEpochs\": \"ten\", \"seed\": 1.5 } }"));
        Assert.Equal(["analyses[0].parameters.maxEpochs 'ten' is not a valid integer", "analyses[0].parameters.seed '1.5' is not a valid integer"], problems);

        var ranges = Problems(Spec(analyses: "{ \"kind\": \"probe\", \"parameters\": { \"optimizer\": \"nesterov\", \"learningRate\": -1, \"patience\": 0 } }"));
        Assert.Equal([
            "analyses[0]: optimizer 'nesterov' is not supported: use rmsprop, adam, sgd, lbfgs, optimal",
            "analyses[0]: learningRate -1 must be a positive number",
            "analyses[0]: patience 0 must be at least 1",
        ], ranges);
    }

    [Fact]
    public void A_spec_that_expands_to_zero_units_is_refused()
    {
        var spec = SweepSpecReader.Parse(Spec());
        Assert.Equal(["the spec expands to zero units: it needs at least one checkpoint, layer and analysis"], Problems(spec with { Repeats = 0 }));
        Assert.Equal(["the spec expands to zero units: it needs at least one checkpoint, layer and analysis"], Problems(spec with { Analyses = [] }));
    }

    [Fact]
    public void A_dataset_whose_samples_do_not_fit_the_checkpoints_is_refused()
    {
        // The checkpoints were written for 4 inputs (model.json sampleShape [4]); this data has 8.
        var problems = Problems(Spec(model: "{ \"checkpoints\": \"run\" }",
            dataset: "{ \"name\": \"gaussian-sign\", \"parameters\": { \"dimension\": 8 } }"));

        Assert.Equal([
            $"dataset 'gaussian-sign' gives samples of shape [8] but the checkpoints were trained on sample shape [4] (sampleShape in {Path.Combine(Root, "run", "model.json")}): "
            + "use the data set and parameters the checkpoints were trained on (model.json names 'gaussian-sign'), or checkpoints trained on this data",
        ], problems);
    }

    [Fact]
    public void A_dataset_with_another_class_count_than_the_checkpoints_is_refused()
    {
        // Checkpoints of a 2-class network on vectors of 784 values; Fashion-MNIST has 10 classes (and [1, 28, 28] images).
        CheckpointFolderWriter.Write(Path.Combine(Root, "flat"), [0], sampleShape: [784]);

        var problems = Problems(Spec(model: "{ \"checkpoints\": \"flat\" }", dataset: "{ \"name\": \"fashion-mnist\" }"));

        Assert.Equal(2, problems.Length);
        AssertHas(problems, "dataset 'fashion-mnist' gives samples of shape [1, 28, 28]", "sample shape [784]", "sampleShape in");
        AssertHas(problems, "dataset 'fashion-mnist' has 10 classes but the checkpoints classify into 2", "classCount in", "model.json names 'gaussian-sign'");
    }

    [Fact]
    public void Checkpoint_files_that_index_json_places_outside_the_data_roots_are_refused()
    {
        var run = Path.Combine(Root, "indexed");
        CheckpointFolderWriter.Write(run, [0]);
        var escaping = Path.Combine(Outside, "run", "step-0000010.pt");
        File.WriteAllText(Path.Combine(run, "index.json"), """
            { "version": 1, "entries": [
              { "step": 0, "file": "step-0000000.pt", "writtenAt": "2024-01-01T00:00:00Z" },
              { "step": 10, "file": "../../outside/run/step-0000010.pt", "writtenAt": "2024-01-01T00:00:00Z" },
              { "step": 20, "file": "../../outside/run/step-0000020.pt", "writtenAt": "2024-01-01T00:00:00Z" },
              { "step": 30, "file": "step-0000030.pt", "writtenAt": "2024-01-01T00:00:00Z" }
            ] }
            """);

        var problem = Assert.Single(Problems(Spec(model: "{ \"checkpoints\": \"indexed\" }")));

        // Every offending entry is named (the one outside that does not exist is refused, not probed), with the missing one inside.
        Assert.StartsWith($"model.checkpoints: Checkpoint '{Path.Combine(run, "index.json")}' has 3 problems:", problem, StringComparison.Ordinal);
        Assert.Contains($"index.json lists step 10 as '../../outside/run/step-0000010.pt', which is {escaping}: outside the data roots.", problem, StringComparison.Ordinal);
        Assert.Contains($"index.json lists step 20 as '../../outside/run/step-0000020.pt', which is {Path.Combine(Outside, "run", "step-0000020.pt")}: outside the data roots.", problem, StringComparison.Ordinal);
        Assert.Contains("index.json lists step 30 as 'step-0000030.pt', which does not exist.", problem, StringComparison.Ordinal);
        Assert.Contains("Fix: Make index.json list files inside the data roots", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_checkpoint_file_that_is_a_symbolic_link_to_outside_is_refused()
    {
        var run = Path.Combine(Root, "run");
        var link20 = Path.Combine(run, "step-0000020.pt");
        var link30 = Path.Combine(run, "step-0000030.pt");
        File.CreateSymbolicLink(link20, Path.Combine(Outside, "run", "step-0000010.pt"));
        File.CreateSymbolicLink(link30, Path.Combine(Outside, "run", "step-0000000.pt"));

        var problem = Assert.Single(Problems(Spec(model: "{ \"checkpoints\": \"run\" }")));

        Assert.Contains($"'step-0000020.pt' is {link20}, a symbolic link to {Path.Combine(Outside, "run", "step-0000010.pt")}: outside the data roots.", problem, StringComparison.Ordinal);
        Assert.Contains($"'step-0000030.pt' is {link30}, a symbolic link to {Path.Combine(Outside, "run", "step-0000000.pt")}: outside the data roots.", problem, StringComparison.Ordinal);
        Assert.Contains("Fix: Keep every checkpoint under the data roots", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_checkpoint_reached_through_a_linked_folder_inside_the_checkpoint_folder_is_refused()
    {
        var run = Path.Combine(Root, "nested");
        CheckpointFolderWriter.Write(run, [0]);
        Directory.CreateSymbolicLink(Path.Combine(run, "more"), Path.Combine(Outside, "run"));
        File.WriteAllText(Path.Combine(run, "index.json"), """
            { "version": 1, "entries": [ { "step": 10, "file": "more/step-0000010.pt", "writtenAt": "2024-01-01T00:00:00Z" } ] }
            """);

        AssertHas(Problems(Spec(model: "{ \"checkpoints\": \"nested\" }")), "index.json lists step 10 as 'more/step-0000010.pt'", "outside the data roots");
    }

    [Fact]
    public void An_index_json_or_model_json_that_links_outside_is_refused_unread()
    {
        var run = Path.Combine(Root, "linked-json");
        CheckpointFolderWriter.Write(run, [0], withDescriptor: false);
        CheckpointFolderWriter.Write(Path.Combine(Outside, "indexed"), [0], withIndex: true);
        File.CreateSymbolicLink(Path.Combine(run, "index.json"), Path.Combine(Outside, "indexed", "index.json"));
        File.CreateSymbolicLink(Path.Combine(run, "model.json"), Path.Combine(Outside, "run", "model.json"));

        var problems = Problems(Spec(model: "{ \"checkpoints\": \"linked-json\" }"));

        Assert.Equal(2, problems.Length);
        AssertHas(problems, "model.checkpoints: ", Path.Combine(run, "index.json"), "a symbolic link to " + Path.Combine(Outside, "indexed", "index.json"), "outside the data roots");
        AssertHas(problems, $"model.checkpoints: {Path.Combine(run, "model.json")} leads outside the data roots ({Root})");
    }

    [Fact]
    public void A_single_checkpoint_file_that_links_outside_is_refused()
    {
        var link = Path.Combine(Root, "run", "step-0000099.pt");
        File.CreateSymbolicLink(link, Path.Combine(Outside, "run", "step-0000010.pt"));

        AssertHas(Problems(Spec(model: "{ \"checkpoints\": \"run/step-0000099.pt\" }")), "model.checkpoints 'run/step-0000099.pt' is outside the data roots");
    }
}
