using ProbeGrid.Analysis.Data;
using TorchSharp;

namespace ProbeGrid.Analysis.Zoo;

/// <summary>
/// A network family the zoo builds by name: one implementation per architecture, registered in an
/// <see cref="ArchitectureRegistry"/>. The configuration is whatever <see cref="ReadParameters"/> returns;
/// derive from <see cref="Architecture{TConfig}"/> to work with it typed. Two things need no code here:
/// reading weights is generic (<see cref="Checkpoints.CheckpointFile.Load"/> matches any <see cref="TappedModel"/>'s
/// state by name), and running from a tap upward is the built model's <see cref="TappedModel.ForwardFrom"/>.
/// </summary>
public interface IArchitecture
{
    /// <summary>The name a sweep spec or model.json gives, e.g. "mlp".</summary>
    string Name { get; }

    /// <summary>
    /// <see cref="TargetKind.Regression"/> for a network whose output is a real-valued tensor trained with MSE;
    /// null for a classifier (its logits take classes or label sets, and it refuses regression data).
    /// </summary>
    TargetKind? OutputKind { get; }

    /// <summary>
    /// Reads every parameter through <paramref name="reader"/>, which collects each problem, the unknown names,
    /// the parameter names and the canonical values (defaults filled in); returns the configuration, with defaults
    /// in place of the bad values, so that the other members can still check the data against it.
    /// </summary>
    object ReadParameters(ModelParameterReader reader);

    /// <summary>
    /// Every problem with the per-sample input shape and the target shape (a regression target's shape, or null
    /// for classes and label sets) for this configuration; empty when the network can be built for them.
    /// </summary>
    IEnumerable<string> DataProblems(object config, long[] sampleShape, long[]? targetShape);

    /// <summary>
    /// Problems with the data set's class count that only the network can see (e.g. a TorchScript file whose logits
    /// have a fixed width); empty for the zoo's networks, which are built for any count. Only asked of classifiers.
    /// </summary>
    IEnumerable<string> ClassCountProblems(object config, long[] sampleShape, int classCount) => [];

    /// <summary>
    /// The parameters whose values are paths of files the network reads (e.g. a TorchScript file). A host resolves
    /// each against its data roots and passes the checked absolute path before anything opens the file.
    /// </summary>
    IReadOnlyList<string> FileParameters => [];

    /// <summary>Every tap name a sweep may list, in forward order ("input" first), from the configuration alone.</summary>
    IReadOnlyList<string> TapNames(object config);

    /// <summary>
    /// The taps a sweep analyses when its spec lists no layers, in forward order: all of <see cref="TapNames"/> for the
    /// zoo's small networks; a network with a tap per module (hundreds) names its main stages.
    /// </summary>
    IReadOnlyList<string> DefaultTaps(object config) => TapNames(config);

    /// <summary>
    /// Each tap's per-sample shape from the configuration alone: nothing is allocated, and the result equals the
    /// built network's <see cref="TappedModel.TapShapes"/>.
    /// </summary>
    IReadOnlyDictionary<string, long[]> TapShapes(object config, long[] sampleShape, int classCount, long[]? targetShape);

    /// <summary>
    /// The taps the built network can be run from upward (<see cref="TappedModel.ForwardFromTaps"/>); by default it builds
    /// the network once to ask it (the zoo's networks are small; an architecture with a cache overrides this).
    /// </summary>
    IReadOnlyList<string> ForwardFromTaps(object config, long[] sampleShape, int classCount, long[]? targetShape)
    {
        using var generator = new torch.Generator(0);
        using var model = Build(config, sampleShape, classCount, targetShape, generator);
        return [.. model.ForwardFromTaps];
    }

    /// <summary>
    /// Builds the network, drawing every initial weight from <paramref name="generator"/> in a fixed order (never the
    /// global RNG), so one seed always gives the same weights. The arguments have passed <see cref="DataProblems"/>.
    /// </summary>
    TappedModel Build(object config, long[] sampleShape, int classCount, long[]? targetShape, torch.Generator generator);
}
