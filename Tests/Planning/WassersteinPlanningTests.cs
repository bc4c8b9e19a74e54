using ProbeGrid.Analysis.Transport;
using ProbeGrid.Grains.Analyses;
using ProbeGrid.Grains.Planning;
using ProbeGrid.GrainsInterfaces.Specs;
using ProbeGrid.Tests.Checkpoints;

namespace ProbeGrid.Tests.Planning;

/// <summary>The "wasserstein" analysis's parameters and cost file are checked when the sweep is planned.</summary>
public class WassersteinPlanningTests : IDisposable
{
    private readonly TempFolder temp = new();

    public WassersteinPlanningTests()
    {
        Directory.CreateDirectory(Root);
        Directory.CreateDirectory(Outside);
    }

    public void Dispose() => temp.Dispose();

    private string Root => temp.File("data");

    private string Outside => temp.File("outside");

    private SweepPlanner Planner => new(new DataRoots([Root]), Root);

    private static SweepSpec Spec(string parameters) => SweepSpecReader.Parse($$"""
        {
          "model": { "architecture": "mlp", "parameters": { "depth": 2, "width": 4 } },
          "dataset": { "name": "gaussian-sign", "parameters": { "dimension": 4 } },
          "reduction": { "kind": "flatten" },
          "analyses": [ { "kind": "wasserstein", "parameters": {{parameters}} } ]
        }
        """);

    [Fact]
    public void The_defaults_are_the_papers()
    {
        var plan = Planner.Plan(Spec("{}"), "s");
        var settings = Assert.IsType<WassersteinSettings>(Assert.Single(plan.Settings));
        var (classifier, transport) = (settings.Classifier, settings.TransportFor(2));
        Assert.Equal(("sgd", 0.01, 0.9, 1e-4, 100), (classifier.Optimizer, classifier.LearningRate, classifier.Momentum, classifier.WeightDecay, classifier.MaxEpochs));
        Assert.Equal(0.01, transport.Sinkhorn.Epsilon);
        Assert.Null(transport.Cost); // 0/1
        Assert.Equal(4, plan.UnitCount);
    }

    [Theory]
    [InlineData("adam", 0.0)]
    [InlineData("lbfgs", 0.0)]
    [InlineData("rmsprop", 0.9)]
    public void Another_optimizer_takes_the_default_momentum_only_if_it_uses_one(string optimizer, double momentum)
    {
        var plan = Planner.Plan(Spec($$"""{ "optimizer": "{{optimizer}}", "learningRate": 0.001 }"""), "s");
        var classifier = Assert.IsType<WassersteinSettings>(Assert.Single(plan.Settings)).Classifier;
        Assert.Equal((optimizer, 0.001, momentum), (classifier.Optimizer, classifier.LearningRate, classifier.Momentum));
    }

    [Fact]
    public void A_cost_file_under_a_data_root_is_read_and_made_absolute()
    {
        File.WriteAllText(Path.Combine(Root, "labels.txt"), "0 0\n3 4\n");
        var plan = Planner.Plan(Spec("{ \"costFile\": \"labels.txt\", \"costPower\": 2 }"), "s");
        var settings = Assert.IsType<WassersteinSettings>(Assert.Single(plan.Settings));
        Assert.Equal(Path.Combine(Root, "labels.txt"), settings.CostFile);
        var transport = settings.TransportFor(2);
        Assert.Equal(25, transport.Cost![0, 1], 1e-12);
    }

    [Fact]
    public void Bad_parameters_a_cost_file_outside_the_roots_and_a_malformed_one_are_all_reported()
    {
        File.WriteAllText(Path.Combine(Outside, "labels.txt"), "0 0\n3 4\n");
        var problems = Assert.Throws<SpecException>(() => Planner.Plan(Spec(
            $"{{ \"costFile\": \"{Path.Combine(Outside, "labels.txt")}\", \"epsilon\": -1, \"gridStep\": 0.7, \"sinkhornEps\": 1, \"maxIterations\": \"many\" }}"), "s")).Problems;
        Assert.Contains(problems, p => p.Contains("costFile") && p.Contains("is outside the data roots"));
        Assert.Contains(problems, p => p.Contains("epsilon -1 must be a positive number"));
        Assert.Contains(problems, p => p.Contains("gridStep 0.7 must be in (0, 0.5]"));
        Assert.Contains(problems, p => p.Contains("sinkhornEps is not a wasserstein parameter"));
        Assert.Contains(problems, p => p.Contains("maxIterations 'many' is not a valid integer"));

        File.WriteAllText(Path.Combine(Root, "three.txt"), "0\n1\n2\n");
        problems = Assert.Throws<SpecException>(() => Planner.Plan(Spec("{ \"costFile\": \"three.txt\" }"), "s")).Problems;
        Assert.Contains(problems, p => p.Contains("it has 3 embeddings but the data set has 2 classes"));
    }
}
