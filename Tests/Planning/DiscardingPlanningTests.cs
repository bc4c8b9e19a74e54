using ProbeGrid.Grains.Analyses;
using ProbeGrid.Grains.Planning;
using ProbeGrid.GrainsInterfaces.Specs;
using ProbeGrid.Tests.Checkpoints;

namespace ProbeGrid.Tests.Planning;

/// <summary>A discarding spec that cannot run is refused before any work, every problem named with its fix.</summary>
public class DiscardingPlanningTests : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    private string[] Problems(string layers, string parameters)
    {
        var spec = SweepSpecReader.Parse($$"""
            {
              "model": { "architecture": "mnist-convnet", "parameters": { "channels1": 4, "channels2": 8, "hidden": 16 } },
              "dataset": { "name": "fashion-mnist-canvas", "parameters": { "canvas": 32, "testCount": 20 } },
              "layers": {{layers}},
              "analyses": [ { "kind": "discarding", "parameters": {{parameters}} } ]
            }
            """);
        return Assert.Throws<SpecException>(() => new SweepPlanner(new DataRoots([temp.Path]), temp.Path).Plan(spec, "s")).Problems;
    }

    [Fact]
    public void Bad_parameters_are_each_named_with_the_fix()
    {
        var problems = Problems("[\"conv1_pooling\"]",
            "{ \"ru\": \"maybe\", \"samples\": 0, \"shards\": 0, \"tau\": -1, \"alpha\": \"much\", \"lambda\": 2 }");
        Assert.Equal([
            "analyses[0].parameters.lambda is not a discarding parameter: use " + string.Join(", ", DiscardingAnalysis.ParameterNames),
            "analyses[0].parameters.alpha 'much' is not a valid number",
            "analyses[0]: tau -1 must be a positive variance (the paper's 0.01)",
            "analyses[0]: samples 0 must be at least 1",
            "analyses[0]: shards 0 must be from 1 to 1024",
            "analyses[0]: ru 'maybe' must be one of learn, sid, off",
        ], problems);
    }

    [Fact]
    public void Samples_beyond_the_test_split_and_layers_the_decoder_cannot_reach_are_refused()
    {
        var problems = Problems("[\"conv1_pooling\", \"fc1_postact\"]", "{ \"samples\": 15, \"sampleOffset\": 10, \"decoderBlocks\": 3 }");
        Assert.Equal([
            "analyses[0]: samples 10..24 are beyond the test split's 20 samples: lower samples or sampleOffset, or enlarge the test split",
            "analyses[0]: no RU decoder for layer 'fc1_postact' (the feature map 1x1 needs 5 doublings to reach 32x32, more than the 3 blocks: raise blocks); " +
            "raise decoderBlocks, or set ru to off",
        ], problems);
        // Without RU there is no decoder to fit.
        Assert.Single(Problems("[\"fc1_postact\"]", "{ \"samples\": 15, \"sampleOffset\": 10, \"decoderBlocks\": 3, \"ru\": \"off\" }"));
    }

    [Theory]
    [InlineData(8, 4, new[] { 2, 2, 2, 2 })]
    [InlineData(7, 3, new[] { 2, 2, 3 })]
    [InlineData(2, 4, new[] { 1, 1 })]
    public void Samples_are_split_into_contiguous_shares_none_empty(int samples, int shards, int[] sizes)
    {
        var split = DiscardingUnit.Split(Enumerable.Range(5, samples).ToArray(), shards);
        Assert.Equal(sizes, split.Select(s => s.Length));
        Assert.Equal(Enumerable.Range(5, samples), split.SelectMany(s => s));
    }
}
