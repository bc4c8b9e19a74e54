using ProbeGrid.Analysis.Checkpoints;
using ProbeGrid.Grains.Analyses;
using ProbeGrid.Grains.Planning;
using ProbeGrid.GrainsInterfaces.Specs;
using ProbeGrid.Tests.Checkpoints;

namespace ProbeGrid.Tests.Planning;

/// <summary>The "complexity" analysis's parameters, layers and reliability peers are checked when the sweep is planned.</summary>
public class ComplexityPlanningTests : IDisposable
{
    private readonly TempFolder temp = new();

    public ComplexityPlanningTests() => Directory.CreateDirectory(Root);

    public void Dispose() => temp.Dispose();

    private string Root => temp.File("data");

    private SweepPlanner Planner => new(new DataRoots([Root]), Root);

    private static SweepSpec Spec(string layers, string parameters) => SweepSpecReader.Parse($$"""
        {
          "model": { "architecture": "resnet-cifar", "parameters": { "depth": 8, "width": 4 } },
          "dataset": { "name": "fashion-mnist", "parameters": { "trainCount": 100, "validationCount": 10, "testCount": 10 } },
          "layers": {{layers}},
          "analyses": [ { "kind": "complexity", "parameters": {{parameters}} } ]
        }
        """);

    [Fact]
    public void The_defaults_fit_a_cpu_and_peers_are_made_absolute()
    {
        Directory.CreateDirectory(Path.Combine(Root, "peers"));
        File.WriteAllText(Path.Combine(Root, "peers", "a.pt"), "");
        var plan = Planner.Plan(Spec("[\"layer3.out_preact\"]", "{ \"peers\": \"peers/a.pt\" }"), "s");
        var settings = Assert.IsType<ComplexitySettings>(Assert.Single(plan.Settings));
        Assert.Equal([1, 4, 7], settings.Disentangler.Orders);
        Assert.Equal((0.125, 2000, 500, 4), (settings.Disentangler.Width, settings.FitSamples, settings.GameSamples, settings.Shards));
        Assert.Equal(Path.Combine(Root, "peers", "a.pt"), Assert.Single(settings.Peers));
        Assert.Equal(5, settings.Reliability.CycleRounds);
    }

    [Fact]
    public void Bad_orders_flat_layers_and_unusable_peers_are_all_reported()
    {
        // A peer whose network (by its model.json) has no such layer.
        var convnet = Path.Combine(Root, "convnet");
        new ModelDescriptor("mnist-convnet", new Dictionary<string, string>(), [1, 28, 28], 10, 0, "fashion-mnist").Save(convnet);
        File.WriteAllText(Path.Combine(convnet, "net.pt"), "");

        var spec = Spec("[\"layer3.out_preact\", \"pool\"]",
            "{ \"orders\": \"1,5\", \"shards\": 0, \"peers\": \"missing.pt, ../outside.pt, convnet/net.pt\" }");
        var problems = Assert.Throws<SpecException>(() => Planner.Plan(spec, "s")).Problems;
        Assert.Contains(problems, p => p.Contains("order 5 must be 3m + 1"));
        Assert.Contains(problems, p => p.Contains("shards 0 must be from 1 to 1024"));
        Assert.Contains(problems, p => p.Contains("checkpoint 'missing.pt' does not exist") && p.Contains("train the peer first"));
        Assert.Contains(problems, p => p.Contains("'../outside.pt' is outside the data roots"));

        // With the orders fixed, the layer and peer checks run too.
        spec = Spec("[\"layer3.out_preact\", \"pool\"]", "{ \"peers\": \"convnet/net.pt\" }");
        problems = Assert.Throws<SpecException>(() => Planner.Plan(spec, "s")).Problems;
        Assert.Contains(problems, p => p.Contains("layer 'pool' cannot be disentangled") && p.Contains("must be [C, H, W]"));
        Assert.Contains(problems, p => p.Contains("has no layer 'layer3.out_preact'"));
        Assert.DoesNotContain(problems, p => p.Contains("layer 'layer3.out_preact' cannot be disentangled"));
    }

    [Fact]
    public void Layers_a_skip_connection_jumps_over_are_refused_at_plan_time_with_the_layers_it_can_start_at()
    {
        var spec = SweepSpecReader.Parse("""
            {
              "model": { "architecture": "mlp", "parameters": { "depth": 5, "width": 4, "skipFrom": 1, "skipTo": 4 } },
              "dataset": { "name": "gaussian-sign", "parameters": { "dimension": 6 } },
              "layers": [ "layer2", "layer4" ],
              "analyses": [ { "kind": "complexity" } ]
            }
            """);
        var problems = Assert.Throws<SpecException>(() => Planner.Plan(spec, "s")).Problems;
        var problem = Assert.Single(problems, p => p.Contains("cannot analyse layer"));
        Assert.Contains("analyses[0]: complexity cannot analyse layer 'layer2'", problem);
        Assert.Contains("its Shapley games feed each layer's feature components to the network above the layer", problem);
        Assert.Contains("list layers it can start at: input, layer1, layer4, layer5, logits", problem);
    }
}
