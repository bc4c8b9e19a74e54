using ProbeGrid.Analysis.Checkpoints;
using ProbeGrid.Analysis.Zoo;
using ProbeGrid.Analysis.Zoo.TorchVision;
using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Tests.Zoo.TorchVision;

/// <summary>
/// ProbeGrid's torchvision families against PyTorch's torchvision: the same state_dict keys and shapes for every family,
/// and, on PyTorch's own seeded weights read with CheckpointFile.Load, the same logits and taps within 1e-4 relative.
/// </summary>
public sealed class TorchVisionParityTests(TorchVisionReference reference) : IClassFixture<TorchVisionReference>
{
    private const int Classes = 10;

    /// <summary>Largest difference allowed, relative to the largest magnitude of PyTorch's tensor (float32 sums in another order).</summary>
    private const double RelativeTolerance = 1e-4;

    [Fact]
    public void Every_family_has_torchvisions_state_dict_keys_and_shapes()
    {
        var unchecked_ = TorchVisionFamilies.All.Select(f => f.Name).Where(n => !reference.Keys.ContainsKey(n)).ToList();
        Assert.True(unchecked_.Count == 0, $"families without torchvision keys in the fixture: {string.Join(", ", unchecked_)}");
        var problems = new List<string>();
        foreach (var (variant, expected) in reference.Keys)
        {
            var (name, parameters) = Variant(variant);
            // The network as the family builds it (the hooked model registers its children unchanged: HookedModelTests); no dry run, no redraw.
            var family = ((TorchVisionArchitecture)ArchitectureRegistry.BuiltIn.Get(name)).Family;
            using var network = family.Create(family.Read(new ModelParameterReader(name, parameters)), Classes);
            var actual = network.state_dict().ToDictionary(p => p.Key, p => p.Value.shape);
            problems.AddRange(expected.Keys.Except(actual.Keys).Select(k => $"{variant}: missing {k}"));
            problems.AddRange(actual.Keys.Except(expected.Keys).Select(k => $"{variant}: unexpected {k}"));
            problems.AddRange(expected.Where(e => actual.TryGetValue(e.Key, out var shape) && !shape.SequenceEqual(e.Value))
                .Select(e => $"{variant}: {e.Key} is [{string.Join(", ", actual[e.Key])}], torchvision's [{string.Join(", ", e.Value)}]"));
        }
        Assert.Empty(problems);
    }

    public static TheoryData<string> Cases => ["resnet18", "inception_v3_75", "inception_v3_299", "googlenet", "mobilenet_v2", "resnext50_32x4d",
        "mobilenet_v3_large", "mobilenet_v3_small", "mobilenet_v3_large_dilated", "mobilenet_v3_small_tail"];

    [Theory]
    [MemberData(nameof(Cases))]
    public void PyTorch_weights_give_PyTorchs_logits_and_taps(string name)
    {
        var c = reference.Cases[name];
        using var scope = torch.NewDisposeScope();
        using var model = ModelZoo.Create(c.Family, c.Parameters, [3, c.Side, c.Side], Classes, seed: 3);
        CheckpointFile.Load(model, reference.WeightsPath(name));
        model.eval();
        var expected = reference.Outputs(name);

        var taps = new HashSet<string>(c.Taps) { "logits" };
        var seen = new Dictionary<string, Tensor>();
        using var noGrad = torch.no_grad();
        var logits = model.Forward(expected["input"], (tap, activation) => seen[tap] = activation.alias(), taps);

        AssertClose(expected["logits"], logits, "logits");
        AssertClose(expected["logits"], seen["logits"], "logits tap");
        foreach (var tap in c.Taps)
        {
            Assert.True(seen.ContainsKey(tap), $"{name}: tap {tap} was not reported");
            AssertClose(expected[tap], seen[tap], tap);
        }
    }

    /// <summary>Batch norm's momentum at work (mobilenet_v3: 0.01, not PyTorch's default 0.1), which eval-mode outputs never see.</summary>
    [Fact]
    public void A_training_forward_moves_batch_norm_statistics_as_PyTorchs()
    {
        const string name = "mobilenet_v3_small";
        var c = reference.Cases[name];
        using var scope = torch.NewDisposeScope();
        using var model = ModelZoo.Create(c.Family, c.Parameters, [3, c.Side, c.Side], Classes, seed: 3);
        CheckpointFile.Load(model, reference.WeightsPath(name));
        model.train();
        using var noGrad = torch.no_grad();
        model.Forward(reference.Outputs(name)["input"], null);
        var state = model.state_dict();
        var expected = reference.Trained(name);
        Assert.Equal(expected.Keys.Order(), state.Keys.Where(k => k.EndsWith("running_mean") || k.EndsWith("running_var") || k.EndsWith("num_batches_tracked")).Order());
        foreach (var (key, value) in expected)
        {
            if (key.EndsWith("num_batches_tracked"))
                Assert.Equal(value.item<long>(), state[key].item<long>());
            else
                AssertClose(value, state[key], key);
        }
    }

    private static void AssertClose(Tensor expected, Tensor actual, string what)
    {
        Assert.True(expected.shape.SequenceEqual(actual.shape), $"{what}: shape [{string.Join(", ", actual.shape)}], PyTorch's [{string.Join(", ", expected.shape)}]");
        var scale = expected.abs().max().item<float>();
        var error = (expected - actual).abs().max().item<float>();
        Assert.True(scale > 0, $"{what}: PyTorch's tensor is all zeros (a useless comparison)");
        Assert.True(error <= RelativeTolerance * scale, $"{what}: max |difference| {error:G4} is {error / scale:G3} of PyTorch's max |value| {scale:G4} (allowed {RelativeTolerance})");
    }

    private static (string Name, Dictionary<string, string> Parameters) Variant(string variant)
    {
        var parts = variant.Split('|');
        return (parts[0], parts.Skip(1).Select(p => p.Split('=')).ToDictionary(p => p[0], p => p[1]));
    }
}
