namespace ProbeGrid.Analysis.Zoo;

/// <summary>
/// The shipped networks by name: a facade over <see cref="ArchitectureRegistry.BuiltIn"/> for the callers that need no
/// registry of their own. Parameters are invariant-culture strings (as they come from a sweep spec or model.json);
/// every entry point reports all problems at once. An architecture is added in <see cref="ArchitectureRegistry.BuiltInArchitectures"/>.
/// </summary>
public static class ModelZoo
{
    private static ArchitectureRegistry Registry => ArchitectureRegistry.BuiltIn;

    public static IReadOnlyList<string> Architectures => Registry.Names;

    public const int MaxClassCount = ArchitectureRegistry.MaxClassCount;

    /// <inheritdoc cref="ArchitectureRegistry.Create"/>
    public static TappedModel Create(string architecture, IReadOnlyDictionary<string, string> parameters, long[] sampleShape, int classCount, long seed,
        long[]? targetShape = null) =>
        Registry.Create(architecture, parameters, sampleShape, classCount, seed, targetShape);

    /// <inheritdoc cref="ArchitectureRegistry.TapShapes"/>
    public static IReadOnlyDictionary<string, long[]> TapShapes(string architecture, IReadOnlyDictionary<string, string> parameters, long[] sampleShape, int classCount,
        long[]? targetShape = null) =>
        Registry.TapShapes(architecture, parameters, sampleShape, classCount, targetShape);

    /// <inheritdoc cref="ArchitectureRegistry.Validate"/>
    public static IReadOnlyList<string> Validate(string architecture, IReadOnlyDictionary<string, string> parameters, long[] sampleShape,
        long[]? targetShape = null) =>
        Registry.Validate(architecture, parameters, sampleShape, targetShape);

    /// <inheritdoc cref="ArchitectureRegistry.ParameterProblems"/>
    public static IReadOnlyList<string> ParameterProblems(string architecture, IReadOnlyDictionary<string, string> parameters) =>
        Registry.ParameterProblems(architecture, parameters);

    /// <inheritdoc cref="ArchitectureRegistry.TapNames"/>
    public static IReadOnlyList<string> TapNames(string architecture, IReadOnlyDictionary<string, string> parameters) =>
        Registry.TapNames(architecture, parameters);

    /// <inheritdoc cref="ArchitectureRegistry.CanonicalParameters"/>
    public static IReadOnlyDictionary<string, string> CanonicalParameters(string architecture, IReadOnlyDictionary<string, string> parameters) =>
        Registry.CanonicalParameters(architecture, parameters);
}
