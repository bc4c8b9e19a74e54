using ProbeGrid.Analysis.Data;
using TorchSharp;

namespace ProbeGrid.Analysis.Zoo;

/// <summary>
/// An <see cref="IArchitecture"/> with a typed configuration: implementations write typed members and this
/// base does the casts, so a configuration of another architecture is a clear error rather than a wrong network.
/// </summary>
public abstract class Architecture<TConfig> : IArchitecture where TConfig : class
{
    public abstract string Name { get; }

    /// <inheritdoc/>
    public virtual TargetKind? OutputKind => null;

    /// <inheritdoc cref="IArchitecture.ReadParameters"/>
    public abstract TConfig Read(ModelParameterReader reader);

    /// <inheritdoc cref="IArchitecture.DataProblems"/>
    public abstract IEnumerable<string> DataProblems(TConfig config, long[] sampleShape, long[]? targetShape);

    /// <inheritdoc cref="IArchitecture.ClassCountProblems"/>
    public virtual IEnumerable<string> ClassCountProblems(TConfig config, long[] sampleShape, int classCount) => [];

    /// <inheritdoc cref="IArchitecture.FileParameters"/>
    public virtual IReadOnlyList<string> FileParameters => [];

    /// <inheritdoc cref="IArchitecture.TapNames"/>
    public abstract IReadOnlyList<string> TapNames(TConfig config);

    /// <inheritdoc cref="IArchitecture.DefaultTaps"/>
    public virtual IReadOnlyList<string> DefaultTaps(TConfig config) => TapNames(config);

    /// <inheritdoc cref="IArchitecture.TapShapes"/>
    public abstract IReadOnlyDictionary<string, long[]> TapShapes(TConfig config, long[] sampleShape, int classCount, long[]? targetShape);

    /// <inheritdoc cref="IArchitecture.Build"/>
    public abstract TappedModel Build(TConfig config, long[] sampleShape, int classCount, long[]? targetShape, torch.Generator generator);

    object IArchitecture.ReadParameters(ModelParameterReader reader) => Read(reader);

    IEnumerable<string> IArchitecture.DataProblems(object config, long[] sampleShape, long[]? targetShape) => DataProblems(Typed(config), sampleShape, targetShape);

    IEnumerable<string> IArchitecture.ClassCountProblems(object config, long[] sampleShape, int classCount) =>
        ClassCountProblems(Typed(config), sampleShape, classCount);

    IReadOnlyList<string> IArchitecture.TapNames(object config) => TapNames(Typed(config));

    IReadOnlyList<string> IArchitecture.DefaultTaps(object config) => DefaultTaps(Typed(config));

    IReadOnlyDictionary<string, long[]> IArchitecture.TapShapes(object config, long[] sampleShape, int classCount, long[]? targetShape) =>
        TapShapes(Typed(config), sampleShape, classCount, targetShape);

    TappedModel IArchitecture.Build(object config, long[] sampleShape, int classCount, long[]? targetShape, torch.Generator generator) =>
        Build(Typed(config), sampleShape, classCount, targetShape, generator);

    private TConfig Typed(object config) => config as TConfig
        ?? throw new ArgumentException($"{Name} takes a {typeof(TConfig).Name}, not a {config?.GetType().Name ?? "null"}; read it with this architecture's ReadParameters.", nameof(config));
}
