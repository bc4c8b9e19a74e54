using System.Diagnostics.CodeAnalysis;
using ProbeGrid.Analysis.Zoo.TorchScript;
using TorchSharp;

namespace ProbeGrid.Analysis.Zoo;

/// <summary>
/// The architectures a process can build, by name, and the checks every one of them shares (unknown names and
/// parameters, class counts, classifiers against regression data). Built from a list, so a host adds its own;
/// <see cref="BuiltIn"/> holds the shipped ones. Every check reports all problems at once.
/// </summary>
public sealed class ArchitectureRegistry
{
    public const int MaxClassCount = 1_000_000;

    private readonly Dictionary<string, IArchitecture> byName = new(StringComparer.Ordinal);
    private readonly List<string> names = [];

    /// <exception cref="InvalidOperationException">Two architectures have one name.</exception>
    public ArchitectureRegistry(IEnumerable<IArchitecture> architectures)
    {
        foreach (var architecture in architectures)
        {
            if (!byName.TryAdd(architecture.Name, architecture))
                throw new InvalidOperationException(
                    $"two architectures are registered as '{architecture.Name}': {byName[architecture.Name].GetType().Name} and {architecture.GetType().Name}");
            names.Add(architecture.Name);
        }
    }

    /// <summary>The architectures ProbeGrid ships, in the order they are listed to users: the one list the registry and DI use.</summary>
    public static IEnumerable<IArchitecture> BuiltInArchitectures() =>
    [
        new MlpArchitecture(), new MnistConvNetArchitecture(), new ResNet18SmallArchitecture(), new Vgg16SmallArchitecture(),
        new ResNetCifarArchitecture(), new DisentanglerNetArchitecture(),
        .. TorchVision.TorchVisionFamilies.All.Select(f => new TorchVision.TorchVisionArchitecture(f)),
        new TorchScriptArchitecture(),
    ];

    /// <summary>The shipped architectures, for code that runs without a host's services (<see cref="ModelZoo"/>, the CLI, tests).</summary>
    public static ArchitectureRegistry BuiltIn { get; } = new(BuiltInArchitectures());

    /// <summary>The registered names, in registration order.</summary>
    public IReadOnlyList<string> Names => names;

    public bool TryGet(string name, [NotNullWhen(true)] out IArchitecture? architecture) => byName.TryGetValue(name, out architecture);

    /// <exception cref="ArgumentException">No architecture has that name; the message lists the known ones.</exception>
    public IArchitecture Get(string name) => TryGet(name, out var architecture) ? architecture : throw new ArgumentException(UnknownName(name), nameof(name));

    /// <summary>The parameter names an architecture accepts, in reading order.</summary>
    /// <exception cref="ArgumentException">The architecture is unknown.</exception>
    public IReadOnlyList<string> ParameterNames(string name)
    {
        var reader = new ModelParameterReader(name, new Dictionary<string, string>());
        Get(name).ReadParameters(reader);
        return reader.Names;
    }

    /// <summary>The problems of an architecture name and its parameters alone: what can be checked while the data set is unknown.</summary>
    public IReadOnlyList<string> ParameterProblems(string name, IReadOnlyDictionary<string, string> parameters) =>
        Read(new ModelParameterReader(name, parameters)).Problems;

    /// <summary>
    /// Every problem with an architecture name, its parameters, the sample shape and the kind of target
    /// (<paramref name="targetShape"/>: a regression target's shape, or null for classes and label sets: classifiers
    /// refuse regression data, and a regressor refuses the rest); empty when all is well. Builds nothing. With
    /// <paramref name="classCount"/>, a classifier's <see cref="IArchitecture.ClassCountProblems"/> are checked too.
    /// </summary>
    public IReadOnlyList<string> Validate(string name, IReadOnlyDictionary<string, string> parameters, long[] sampleShape, long[]? targetShape = null,
        int? classCount = null)
    {
        var (architecture, config, problems) = Read(new ModelParameterReader(name, parameters));
        var all = problems.ToList();
        if (architecture is null)
            return all;
        if (architecture.OutputKind is null && targetShape is not null)
            all.Add($"{name}: outputs class logits, but the data set has regression targets of shape [{string.Join(", ", targetShape)}] (MSE); " +
                    $"use {string.Join(" or ", Regressors)} for regression data, or a data set with classes.");
        var dataProblems = architecture.DataProblems(config!, sampleShape, targetShape).ToList();
        all.AddRange(dataProblems);
        if (classCount is { } count && targetShape is null && problems.Count == 0 && dataProblems.Count == 0)
            all.AddRange(architecture.ClassCountProblems(config!, sampleShape, count));
        return all;
    }

    /// <summary>The tap names the network would have, in forward order, without building it.</summary>
    /// <exception cref="ArgumentException">The architecture or parameters are invalid.</exception>
    public IReadOnlyList<string> TapNames(string name, IReadOnlyDictionary<string, string> parameters)
    {
        var (architecture, config, problems) = Read(new ModelParameterReader(name, parameters));
        if (problems.Count > 0)
            throw new ArgumentException(Describe(problems));
        return architecture!.TapNames(config!);
    }

    /// <summary>The taps a sweep analyses when its spec lists no layers (<see cref="IArchitecture.DefaultTaps"/>), in forward order.</summary>
    /// <exception cref="ArgumentException">The architecture or parameters are invalid.</exception>
    public IReadOnlyList<string> DefaultTaps(string name, IReadOnlyDictionary<string, string> parameters)
    {
        var (architecture, config, problems) = Read(new ModelParameterReader(name, parameters));
        if (problems.Count > 0)
            throw new ArgumentException(Describe(problems));
        return architecture!.DefaultTaps(config!);
    }

    /// <summary>
    /// The shape of every tap for one sample (batch dimension left out), the same as the built network's
    /// <see cref="TappedModel.TapShapes"/>, from the configuration alone: a network too large for memory costs no
    /// more than a small one. (libtorch's C++ build has no "meta" kernels for relu or conv2d to do this instead.)
    /// </summary>
    /// <exception cref="ArgumentException">Lists every problem with the arguments.</exception>
    public IReadOnlyDictionary<string, long[]> TapShapes(string name, IReadOnlyDictionary<string, string> parameters, long[] sampleShape, int classCount,
        long[]? targetShape = null)
    {
        var (architecture, config) = Checked(name, parameters, sampleShape, classCount, targetShape);
        return architecture.TapShapes(config, sampleShape, classCount, targetShape);
    }

    /// <summary>The taps the network can be run from upward (<see cref="TappedModel.ForwardFromTaps"/>), in forward order.</summary>
    /// <exception cref="ArgumentException">Lists every problem with the arguments.</exception>
    public IReadOnlyList<string> ForwardFromTaps(string name, IReadOnlyDictionary<string, string> parameters, long[] sampleShape, int classCount,
        long[]? targetShape = null)
    {
        var (architecture, config) = Checked(name, parameters, sampleShape, classCount, targetShape);
        return architecture.ForwardFromTaps(config, sampleShape, classCount, targetShape);
    }

    /// <summary>
    /// All parameters with defaults filled in, in canonical invariant form, so that two spellings of one network
    /// ("depth=32" or nothing) compare equal.
    /// </summary>
    /// <exception cref="ArgumentException">The architecture or parameters are invalid.</exception>
    public IReadOnlyDictionary<string, string> CanonicalParameters(string name, IReadOnlyDictionary<string, string> parameters)
    {
        var reader = new ModelParameterReader(name, parameters);
        var (_, _, problems) = Read(reader);
        if (problems.Count > 0)
            throw new ArgumentException(Describe(problems));
        return reader.Canonical;
    }

    /// <summary>
    /// Builds the network with weights drawn from a generator seeded with <paramref name="seed"/> (never the global
    /// RNG): the same arguments always give identical weights. <paramref name="targetShape"/> is a regression
    /// target's shape (a regressor outputs it and ignores <paramref name="classCount"/>), or null for classifiers.
    /// </summary>
    /// <exception cref="ArgumentException">Lists every problem with the arguments.</exception>
    public TappedModel Create(string name, IReadOnlyDictionary<string, string> parameters, long[] sampleShape, int classCount, long seed,
        long[]? targetShape = null)
    {
        var (architecture, config) = Checked(name, parameters, sampleShape, classCount, targetShape);
        using var generator = new torch.Generator(unchecked((ulong)seed));
        return architecture.Build(config, sampleShape, classCount, targetShape, generator);
    }

    private IEnumerable<string> Regressors => names.Where(n => byName[n].OutputKind == Data.TargetKind.Regression);

    /// <summary>The architecture and its configuration, when a network can be built from these arguments.</summary>
    private (IArchitecture Architecture, object Config) Checked(string name, IReadOnlyDictionary<string, string> parameters, long[] sampleShape, int classCount,
        long[]? targetShape)
    {
        var inRange = classCount >= 2 && classCount <= MaxClassCount;
        var problems = Validate(name, parameters, sampleShape, targetShape, inRange ? classCount : null).ToList();
        if (targetShape is null && !inRange)
            problems.Add($"{name}: class count {classCount} is out of range; allowed: an integer in [2, {MaxClassCount}].");
        if (problems.Count > 0)
            throw new ArgumentException(Describe(problems));
        var (architecture, config, _) = Read(new ModelParameterReader(name, parameters));
        return (architecture!, config!);
    }

    private (IArchitecture? Architecture, object? Config, IReadOnlyList<string> Problems) Read(ModelParameterReader reader)
    {
        if (!TryGet(reader.Architecture, out var architecture))
            return (null, null, [UnknownName(reader.Architecture)]);
        var config = architecture.ReadParameters(reader);
        return (architecture, config, reader.Problems());
    }

    private string UnknownName(string name) => $"unknown architecture '{name}'; known: {string.Join(", ", names)}.";

    private static string Describe(IReadOnlyList<string> problems) =>
        $"Invalid model ({problems.Count} problem{(problems.Count == 1 ? "" : "s")}):{Environment.NewLine}  - {string.Join(Environment.NewLine + "  - ", problems)}";
}
