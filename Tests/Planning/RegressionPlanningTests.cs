using ProbeGrid.Grains.Planning;
using ProbeGrid.GrainsInterfaces.Specs;
using ProbeGrid.Tests.Checkpoints;

namespace ProbeGrid.Tests.Planning;

/// <summary>Specs on regression data (random-task): the classifying analyses are refused at plan time, the regressor plans.</summary>
public sealed class RegressionPlanningTests : IDisposable
{
    private const string TargetNet = "{ \"architecture\": \"disentangler-net\", \"parameters\": { \"order\": \"4\", \"width\": \"0.0625\" } }";
    private const string RandomTask = "{ \"name\": \"random-task\", \"parameters\": { \"n\": \"2\" } }";

    private readonly TempFolder temp = new();

    public RegressionPlanningTests() => Directory.CreateDirectory(temp.File("data"));

    public void Dispose() => temp.Dispose();

    private SweepPlanner Planner => new(new DataRoots([temp.File("data")]), temp.File("data"));

    private static SweepSpec Spec(string analyses, string model = TargetNet, string dataset = RandomTask) => SweepSpecReader.Parse($$"""
        {
          "model": {{model}},
          "dataset": {{dataset}},
          "layers": "*",
          "reduction": { "kind": "flatten" },
          "analyses": [ {{analyses}} ]
        }
        """);

    [Fact]
    public void Probe_and_wasserstein_analyses_are_refused_on_regression_data()
    {
        var problems = Assert.Throws<SpecException>(() => Planner.Plan(Spec("{ \"kind\": \"probe\" }, { \"kind\": \"wasserstein\" }"), "s")).Problems;

        Assert.Equal(2, problems.Length);
        Assert.Equal(
            "analyses[0].kind 'probe' needs a data set with classes (it trains classifiers on each layer's features), but dataset 'random-task' " +
            "has regression targets: remove this analysis, or name a data set with classes or label sets (fashion-mnist, gaussian-sign, fashion-mnist-mosaic, fashion-mnist-canvas, image-folder)",
            problems[0]);
        Assert.StartsWith("analyses[1].kind 'wasserstein' needs a data set with classes", problems[1]);
    }

    [Fact]
    public void A_classifier_on_regression_data_is_refused_with_the_fix()
    {
        var problems = Assert.Throws<SpecException>(() => Planner.Plan(Spec("{ \"kind\": \"synthetic\" }",
            model: "{ \"architecture\": \"mnist-convnet\" }"), "s")).Problems;
        Assert.Contains(problems, p => p.StartsWith("model: mnist-convnet: outputs class logits, but the data set has regression targets of shape [64, 7, 7]") &&
                                       p.Contains("use disentangler-net"));
    }

    [Fact]
    public void The_regressor_plans_on_regression_data_with_its_output_tap()
    {
        var plan = Planner.Plan(Spec("{ \"kind\": \"synthetic\" }"), "s");
        Assert.Equal(["input", "stem", "layer1.0", "layer2.0", "layer3.0", "output"], plan.Layers.Select(l => l.Name));
        Assert.Equal(64 * 7 * 7, plan.Layers[^1].Width);
        Assert.Equal(32 * 7 * 7, plan.Layers[^2].Width);
    }
}
