using ProbeGrid.Tests.Data;

namespace ProbeGrid.Tests.Cli;

/// <summary>`probegrid layers` lists what a spec's "layers" may name, with shapes, for an architecture or a spec.</summary>
public sealed class LayersCommandTests : IDisposable
{
    private readonly TemporaryFolder root = new();

    public void Dispose() => root.Dispose();

    [Fact]
    public void An_architecture_lists_every_tap_in_forward_order_with_its_shape()
    {
        var (code, output, errors) = CliProcess.Run(root.Path, TimeSpan.FromMinutes(2), "layers", "mnist-convnet", "--input", "1x28x28");
        Assert.True(code == 0, errors);
        var rows = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(2).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        Assert.Equal(["input", "conv1_preact", "conv1_postact", "conv1_pooling", "conv2_preact", "conv2_postact", "conv2_pooling", "fc1_preact", "fc1_postact", "logits"],
            rows.Select(r => r[0]));
        Assert.Equal("[32, 14, 14]", string.Join(" ", rows[3][1..4]));
        Assert.Equal("6,272", rows[3][4]);
    }

    [Fact]
    public void A_spec_is_read_for_its_model_and_data_even_when_its_layers_are_wrong()
    {
        File.WriteAllText(Path.Combine(root.Path, "spec.json"), """
            { "model": { "architecture": "mlp", "parameters": { "depth": 5, "width": 4, "skipFrom": 1, "skipTo": 4 } },
              "dataset": { "name": "gaussian-sign", "parameters": { "dimension": 6 } },
              "layers": [ "no-such-layer" ],
              "analyses": [ { "kind": "probe" } ] }
            """);
        var (code, output, errors) = CliProcess.Run(root.Path, TimeSpan.FromMinutes(2), "layers", "spec.json");
        Assert.True(code == 0, errors);
        Assert.Contains("mlp on [6] samples, 7 taps", output);
        var layer2 = output.Split('\n').Single(l => l.StartsWith("layer2 ", StringComparison.Ordinal));
        Assert.Equal(["layer2", "[4]", "4", "yes"], layer2.Split(' ', StringSplitOptions.RemoveEmptyEntries)); // default, but no start: the skip passes it by
    }

    [Fact]
    public void A_bad_shape_or_unknown_architecture_is_refused_naming_the_fix()
    {
        var (code, _, errors) = CliProcess.Run(root.Path, TimeSpan.FromMinutes(2), "layers", "mnist-convnet", "--input", "1x0x28");
        Assert.Equal(2, code);
        Assert.Contains("--input '1x0x28' is not a sample shape", errors);
        (code, _, errors) = CliProcess.Run(root.Path, TimeSpan.FromMinutes(2), "layers", "resnet-nine", "--input", "3x32x32");
        Assert.Equal(2, code);
        Assert.Contains("unknown architecture 'resnet-nine'", errors);
    }
}
