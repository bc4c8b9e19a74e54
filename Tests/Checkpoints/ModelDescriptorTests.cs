using ProbeGrid.Analysis.Checkpoints;

namespace ProbeGrid.Tests.Checkpoints;

public class ModelDescriptorTests
{
    private static ModelDescriptor Descriptor(Dictionary<string, string> parameters, long seed = 1) =>
        new("mlp", parameters, [10], 4, seed, "gaussian");

    [Fact]
    public void Saves_and_loads_model_json_and_rebuilds_the_network()
    {
        using var folder = new TempFolder();
        var descriptor = Descriptor(new() { ["depth"] = "3", ["width"] = "8" }, seed: 9);
        descriptor.Save(folder.Path);

        var loaded = ModelDescriptor.TryLoad(folder.Path);

        Assert.NotNull(loaded);
        Assert.Equal(descriptor, loaded);
        Assert.Equal("3", loaded.Parameters["depth"]);
        Assert.Contains("\"architecture\": \"mlp\"", File.ReadAllText(folder.File("model.json")));
        using var rebuilt = loaded.CreateModel();
        using var original = descriptor.CreateModel();
        Zoo.ModelState.AssertIdentical(original, rebuilt);
    }

    [Fact]
    public void Defaults_written_out_or_left_out_describe_the_same_network()
    {
        Assert.Empty(Descriptor([]).DifferencesFrom(Descriptor(new() { ["depth"] = "32", ["negativeSlope"] = "0.50" })));
    }

    [Fact]
    public void Differences_are_listed()
    {
        var differences = Descriptor(new() { ["depth"] = "3" }).DifferencesFrom(Descriptor(new() { ["depth"] = "4" }, seed: 2));
        Assert.Equal(["parameter depth: 3 vs 4", "seed: 1 vs 2"], differences);
    }

    [Fact]
    public void A_broken_model_json_is_a_CheckpointException()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("model.json"), "{\"architecture\": ");
        Assert.Contains("model.json", Assert.Throws<CheckpointException>(() => ModelDescriptor.TryLoad(folder.Path)).Message);
        Assert.Null(ModelDescriptor.TryLoad(Path.Combine(folder.Path, "elsewhere")));
    }
}
