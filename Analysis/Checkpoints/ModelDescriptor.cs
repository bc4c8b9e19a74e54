using System.Text.Json;
using System.Text.Json.Serialization;
using ProbeGrid.Analysis.Zoo;

namespace ProbeGrid.Analysis.Checkpoints;

/// <summary>
/// What network a checkpoint folder holds, written beside the checkpoints as <c>model.json</c>,
/// so a sweep can rebuild the network from the folder alone. A regressor trained on regression data
/// also records its <see cref="TargetShape"/> (its class count is 0); classifiers leave it out.
/// </summary>
public sealed record ModelDescriptor(
    string Architecture,
    IReadOnlyDictionary<string, string> Parameters,
    long[] SampleShape,
    int ClassCount,
    long Seed,
    string Dataset,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long[]? TargetShape = null)
{
    public const string FileName = "model.json";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
    };

    /// <summary>Builds the described network (weights initialised from <see cref="Seed"/>).</summary>
    public TappedModel CreateModel() => ModelZoo.Create(Architecture, Parameters, SampleShape, ClassCount, Seed, TargetShape);

    public static string PathIn(string folder) => Path.Combine(folder, FileName);

    public void Save(string folder)
    {
        Directory.CreateDirectory(folder);
        AtomicFile.WriteAllText(PathIn(folder), JsonSerializer.Serialize(this, Json));
    }

    /// <summary>The folder's descriptor, or null when it has no model.json.</summary>
    /// <exception cref="CheckpointException">model.json exists but is not a valid descriptor.</exception>
    public static ModelDescriptor? TryLoad(string folder)
    {
        var path = PathIn(folder);
        if (!File.Exists(path))
            return null;
        const string fix = "Restore model.json from the run that wrote the checkpoints, or delete it and describe the model in the sweep spec.";
        ModelDescriptor? descriptor;
        try
        {
            descriptor = JsonSerializer.Deserialize<ModelDescriptor>(File.ReadAllText(path), Json);
        }
        catch (JsonException e)
        {
            throw new CheckpointException(path, $"is not a valid model descriptor ({e.Message}).", fix, e);
        }
        var problems = new List<string>();
        if (descriptor is null)
            problems.Add("is empty (null).");
        else
        {
            if (string.IsNullOrWhiteSpace(descriptor.Architecture)) problems.Add("lacks 'architecture'.");
            if (descriptor.Parameters is null) problems.Add("lacks 'parameters' (use {} for the defaults).");
            if (descriptor.SampleShape is null) problems.Add("lacks 'sampleShape'.");
            if (descriptor.Dataset is null) problems.Add("lacks 'dataset'.");
        }
        if (problems.Count > 0)
            throw new CheckpointException(path, problems, fix);
        return descriptor;
    }

    /// <summary>
    /// Every way <paramref name="other"/> describes a different network or run; empty when they
    /// match. Parameters compare in canonical form, so an omitted default equals its explicit value.
    /// </summary>
    public IReadOnlyList<string> DifferencesFrom(ModelDescriptor other)
    {
        var differences = new List<string>();
        if (Architecture != other.Architecture)
            differences.Add($"architecture: {Architecture} vs {other.Architecture}");
        else
        {
            var mine = Canonical(Architecture, Parameters);
            var theirs = Canonical(other.Architecture, other.Parameters);
            foreach (var key in mine.Keys.Union(theirs.Keys).Order(StringComparer.Ordinal))
            {
                var a = mine.GetValueOrDefault(key, "(absent)");
                var b = theirs.GetValueOrDefault(key, "(absent)");
                if (a != b)
                    differences.Add($"parameter {key}: {a} vs {b}");
            }
        }
        if (!SampleShape.SequenceEqual(other.SampleShape))
            differences.Add($"sample shape: [{string.Join(", ", SampleShape)}] vs [{string.Join(", ", other.SampleShape)}]");
        if (ClassCount != other.ClassCount)
            differences.Add($"class count: {ClassCount} vs {other.ClassCount}");
        if (!(TargetShape ?? []).SequenceEqual(other.TargetShape ?? []))
            differences.Add($"target shape: {Describe(TargetShape)} vs {Describe(other.TargetShape)}");
        if (Seed != other.Seed)
            differences.Add($"seed: {Seed} vs {other.Seed}");
        if (Dataset != other.Dataset)
            differences.Add($"dataset: {Dataset} vs {other.Dataset}");
        return differences;
    }

    // Records compare arrays and dictionaries by reference; descriptors compare by what they describe.
    public bool Equals(ModelDescriptor? other) => other is not null && DifferencesFrom(other).Count == 0;

    public override int GetHashCode() => HashCode.Combine(Architecture, ClassCount, Seed, Dataset, SampleShape.Length);

    private static string Describe(long[]? shape) => shape is null ? "(none: classes)" : $"[{string.Join(", ", shape)}]";

    private static IReadOnlyDictionary<string, string> Canonical(string architecture, IReadOnlyDictionary<string, string> parameters)
    {
        try
        {
            return ModelZoo.CanonicalParameters(architecture, parameters);
        }
        catch (ArgumentException)
        {
            return parameters; // an invalid descriptor still compares, by its literal values
        }
    }
}
