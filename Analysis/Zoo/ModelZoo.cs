using TorchSharp;

namespace ProbeGrid.Analysis.Zoo;

/// <summary>
/// The networks ProbeGrid can build by name. Parameters are invariant-culture strings (as they come
/// from a sweep spec or model.json); every entry point reports all problems at once.
/// </summary>
public static class ModelZoo
{
    public static IReadOnlyList<string> Architectures { get; } =
        [MlpConfig.Architecture, MnistConvNetConfig.Architecture, ResNet18SmallConfig.Architecture, Vgg16SmallConfig.Architecture, ResNetCifarConfig.Architecture,
         DisentanglerNetConfig.Architecture];

    public const int MaxClassCount = 1_000_000;

    /// <summary>
    /// Builds the network with weights drawn from a generator seeded with <paramref name="seed"/>
    /// (never the global RNG): the same arguments always give identical weights.
    /// </summary>
    /// <param name="targetShape">
    /// The shape of one sample's regression target, for data with regression targets (the regressor
    /// "disentangler-net" outputs it; <paramref name="classCount"/> is then ignored); null for data with
    /// classes or label sets, which the classifiers take.
    /// </param>
    /// <exception cref="ArgumentException">Lists every problem with the arguments.</exception>
    public static TappedModel Create(string architecture, IReadOnlyDictionary<string, string> parameters, long[] sampleShape, int classCount, long seed,
        long[]? targetShape = null)
    {
        var config = CheckedConfig(architecture, parameters, sampleShape, classCount, targetShape);
        using var generator = new torch.Generator(unchecked((ulong)seed));
        return config switch
        {
            MlpConfig mlp => new MlpModel(mlp, sampleShape, classCount, generator),
            MnistConvNetConfig convnet => new MnistConvNet(convnet, sampleShape, classCount, generator),
            ResNet18SmallConfig resnet => new ResNet18Small(resnet, sampleShape, classCount, generator),
            Vgg16SmallConfig vgg => new Vgg16Small(vgg, sampleShape, classCount, generator),
            ResNetCifarConfig cifar => new ResNetCifar(cifar, sampleShape, classCount, generator),
            DisentanglerNetConfig disentangler => new DisentanglerTargetNet(disentangler, sampleShape, targetShape!, generator),
            _ => throw new InvalidOperationException($"Architecture '{architecture}' has no constructor."),
        };
    }

    /// <summary>
    /// The shape of every tap for one sample (batch dimension left out), the same as
    /// <see cref="TappedModel.TapShapes"/> of the built network reports, derived from the
    /// configuration alone: nothing is allocated, so a network too large for memory costs no more
    /// than a small one. (PyTorch's "meta" device cannot do this here: libtorch's C++ build has no
    /// meta kernels for relu or conv2d.)
    /// </summary>
    /// <exception cref="ArgumentException">Lists every problem with the arguments.</exception>
    public static IReadOnlyDictionary<string, long[]> TapShapes(string architecture, IReadOnlyDictionary<string, string> parameters, long[] sampleShape, int classCount,
        long[]? targetShape = null) =>
        CheckedConfig(architecture, parameters, sampleShape, classCount, targetShape) switch
        {
            MlpConfig mlp => mlp.TapShapes(sampleShape, classCount),
            MnistConvNetConfig convnet => convnet.TapShapes(sampleShape, classCount),
            ResNet18SmallConfig resnet => resnet.TapShapes(sampleShape, classCount),
            Vgg16SmallConfig vgg => vgg.TapShapes(sampleShape, classCount),
            ResNetCifarConfig cifar => cifar.TapShapes(sampleShape, classCount),
            DisentanglerNetConfig disentangler => disentangler.TapShapes(sampleShape, targetShape!),
            _ => throw new InvalidOperationException($"Architecture '{architecture}' has no tap shapes."),
        };

    /// <summary>The parsed configuration of a network that can be built from these arguments.</summary>
    /// <exception cref="ArgumentException">Lists every problem with the arguments.</exception>
    private static object CheckedConfig(string architecture, IReadOnlyDictionary<string, string> parameters, long[] sampleShape, int classCount, long[]? targetShape)
    {
        var problems = Validate(architecture, parameters, sampleShape, targetShape).ToList();
        if (targetShape is null && (classCount < 2 || classCount > MaxClassCount))
            problems.Add($"{architecture}: class count {classCount} is out of range; allowed: an integer in [2, {MaxClassCount}].");
        if (problems.Count > 0)
            throw new ArgumentException(Describe(problems));
        return Read(architecture, parameters).Config!;
    }

    /// <summary>
    /// Every problem with an architecture name, its parameters, the sample shape and the kind of target
    /// (<paramref name="targetShape"/>: a regression target's shape, or null for classes and label sets:
    /// classifiers refuse regression data, and the regressor refuses the rest); empty when all is well. Builds nothing.
    /// </summary>
    public static IReadOnlyList<string> Validate(string architecture, IReadOnlyDictionary<string, string> parameters, long[] sampleShape,
        long[]? targetShape = null)
    {
        var (config, problems) = Read(architecture, parameters);
        var all = problems.ToList();
        if (config is DisentanglerNetConfig disentangler)
        {
            all.AddRange(disentangler.ShapeProblems(sampleShape, targetShape));
            return all;
        }
        if (config is not null && targetShape is not null)
            all.Add($"{architecture}: outputs class logits, but the data set has regression targets of shape [{string.Join(", ", targetShape)}] (MSE); " +
                    $"use {DisentanglerNetConfig.Architecture} for regression data, or a data set with classes.");
        if (config is MlpConfig)
        {
            if (sampleShape.Length == 0 || sampleShape.Any(d => d <= 0))
                all.Add($"{MlpConfig.Architecture}: sample shape [{string.Join(", ", sampleShape)}] must have at least one dimension, all positive.");
        }
        else if (config is MnistConvNetConfig)
            all.AddRange(MnistConvNetConfig.SampleShapeProblems(sampleShape));
        else if (config is ResNet18SmallConfig or Vgg16SmallConfig or ResNetCifarConfig)
            all.AddRange(ImageSample.Problems(architecture, sampleShape));
        return all;
    }

    /// <summary>The problems of an architecture name and its parameters alone: what can be checked while the data set is unknown.</summary>
    public static IReadOnlyList<string> ParameterProblems(string architecture, IReadOnlyDictionary<string, string> parameters) =>
        Read(architecture, parameters).Problems;

    /// <summary>The tap names the network would have, in forward order, without building it.</summary>
    /// <exception cref="ArgumentException">The architecture or parameters are invalid.</exception>
    public static IReadOnlyList<string> TapNames(string architecture, IReadOnlyDictionary<string, string> parameters)
    {
        var (config, problems) = Read(architecture, parameters);
        if (problems.Count > 0)
            throw new ArgumentException(Describe(problems));
        return config switch
        {
            MlpConfig mlp => mlp.TapNames,
            MnistConvNetConfig => MnistConvNetConfig.Taps,
            ResNet18SmallConfig => ResNet18SmallConfig.Taps,
            Vgg16SmallConfig => Vgg16SmallConfig.Taps,
            ResNetCifarConfig cifar => cifar.TapNames,
            DisentanglerNetConfig disentangler => disentangler.TapNames,
            _ => throw new InvalidOperationException($"Architecture '{architecture}' has no tap list."),
        };
    }

    /// <summary>
    /// All parameters with defaults filled in, in canonical invariant form, so that two spellings
    /// of one network ("depth=32" or nothing) compare equal.
    /// </summary>
    /// <exception cref="ArgumentException">The architecture or parameters are invalid.</exception>
    public static IReadOnlyDictionary<string, string> CanonicalParameters(string architecture, IReadOnlyDictionary<string, string> parameters)
    {
        var reader = new ModelParameterReader(architecture, parameters);
        var (_, problems) = Read(reader);
        if (problems.Count > 0)
            throw new ArgumentException(Describe(problems));
        return reader.Canonical;
    }

    private static (object? Config, IReadOnlyList<string> Problems) Read(string architecture, IReadOnlyDictionary<string, string> parameters) =>
        Read(new ModelParameterReader(architecture, parameters));

    private static (object? Config, IReadOnlyList<string> Problems) Read(ModelParameterReader reader)
    {
        object? config = reader.Architecture switch
        {
            MlpConfig.Architecture => MlpConfig.Read(reader),
            MnistConvNetConfig.Architecture => MnistConvNetConfig.Read(reader),
            ResNet18SmallConfig.Architecture => ResNet18SmallConfig.Read(reader),
            Vgg16SmallConfig.Architecture => Vgg16SmallConfig.Read(reader),
            ResNetCifarConfig.Architecture => ResNetCifarConfig.Read(reader),
            DisentanglerNetConfig.Architecture => DisentanglerNetConfig.Read(reader),
            _ => null,
        };
        if (config is null)
            return (null, [$"unknown architecture '{reader.Architecture}'; known: {string.Join(", ", Architectures)}."]);
        return (config, reader.Problems());
    }

    private static string Describe(IReadOnlyList<string> problems) =>
        $"Invalid model ({problems.Count} problem{(problems.Count == 1 ? "" : "s")}):{Environment.NewLine}  - {string.Join(Environment.NewLine + "  - ", problems)}";
}
