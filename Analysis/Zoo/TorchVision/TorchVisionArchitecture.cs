using System.Collections.Concurrent;
using TorchSharp;

namespace ProbeGrid.Analysis.Zoo.TorchVision;

/// <summary>
/// A torchvision family (<see cref="TorchVisionFamily"/>) as a ProbeGrid architecture under torchvision's function name:
/// RGB images [3, H, W] of at least the family's minimum side, class count from the data set, the family's parameters,
/// taps by module path (<see cref="HookedModel"/>), weights drawn from the generator with torchvision's scheme.
/// Tap names and shapes come from a dry run of a network built once per configuration (and sample shape), cached.
/// </summary>
public sealed class TorchVisionArchitecture(TorchVisionFamily family) : Architecture<TorchVisionConfig>
{
    private readonly ConcurrentDictionary<(TorchVisionConfig Config, string Shape, int Classes), Lazy<Layout>> layouts = new();

    /// <summary>The taps, default taps, shapes and module listing of a configuration at one sample shape.</summary>
    private sealed record Layout(IReadOnlyList<string> TapNames, IReadOnlyList<string> DefaultTaps, IReadOnlyDictionary<string, long[]> Shapes, IReadOnlyList<TapInfo> Modules);

    public TorchVisionFamily Family => family;

    public override string Name => family.Name;

    public override TorchVisionConfig Read(ModelParameterReader reader) => family.Read(reader);

    public override IEnumerable<string> DataProblems(TorchVisionConfig config, long[] sampleShape, long[]? targetShape)
    {
        var shape = $"[{string.Join(", ", sampleShape)}]";
        var (side, why) = family.Minimum(config);
        if (sampleShape.Length != 3 || sampleShape[0] != 3)
            yield return $"{Name}: takes RGB images of shape [3, height, width], but the data set's samples have shape {shape}; " +
                         "use a data set of 3-channel images (repeat a gray channel three times).";
        else if (sampleShape[1] < side || sampleShape[2] < side)
            yield return $"{Name}: images of {sampleShape[1]}x{sampleShape[2]} are too small; {Name} needs at least {side}x{side} ({why}). " +
                         $"Resize the images to at least {side}x{side}{(config.AuxLogits && Name == "inception_v3" ? ", or set auxLogits=false" : "")}.";
    }

    public override IReadOnlyList<string> TapNames(TorchVisionConfig config) => SmallestLayout(config).TapNames;

    public override IReadOnlyList<string> DefaultTaps(TorchVisionConfig config) => SmallestLayout(config).DefaultTaps;

    public override IReadOnlyDictionary<string, long[]> TapShapes(TorchVisionConfig config, long[] sampleShape, int classCount, long[]? targetShape) =>
        LayoutFor(config, sampleShape, classCount).Shapes;

    /// <summary>Each module of the network for this configuration and sample shape, in order of first call (see <see cref="HookedModel.Describe"/>).</summary>
    public IReadOnlyList<TapInfo> Describe(TorchVisionConfig config, long[] sampleShape, int classCount) => LayoutFor(config, sampleShape, classCount).Modules;

    public override TappedModel Build(TorchVisionConfig config, long[] sampleShape, int classCount, long[]? targetShape, torch.Generator generator)
    {
        var model = Hooked(config, sampleShape, classCount);
        try
        {
            TorchVisionWeights.Initialize(family.Init, model, generator, config.ZeroInitResidual);
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>The network with TorchSharp's initial weights (drawn from the global RNG): for layouts, whose weights do not matter.</summary>
    private HookedModel Hooked(TorchVisionConfig config, long[] sampleShape, int classCount)
    {
        var network = family.Create(config, classCount);
        try
        {
            return new HookedModel(Name, network, sampleShape, family.Chain, family.AuxiliaryHeads(config), family.UnrolledStages);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    /// <summary>The layout at the smallest image the configuration takes: tap names do not depend on the size.</summary>
    private Layout SmallestLayout(TorchVisionConfig config)
    {
        var side = family.Minimum(config).Side;
        return LayoutFor(config, [3, side, side], 2);
    }

    private Layout LayoutFor(TorchVisionConfig config, long[] sampleShape, int classCount) =>
        layouts.GetOrAdd((config, string.Join(",", sampleShape), classCount), _ => new Lazy<Layout>(() =>
        {
            using var model = Hooked(config, sampleShape, classCount);
            return new Layout(model.TapNames, model.DefaultTaps, model.TraceShapes(), model.Describe());
        })).Value;
}
