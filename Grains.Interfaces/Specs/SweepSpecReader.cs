using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ProbeGrid.GrainsInterfaces.Specs;

/// <summary>
/// Reads a sweep spec from JSON, checking its shape (fields, types, ranges) and collecting every
/// problem before failing, so a researcher fixes a spec in one round. Whether the model, data
/// and layers exist is checked later, where the zoo and the data roots are known.
/// </summary>
public static partial class SweepSpecReader
{
    public const string DefaultReduction = "random-projection";
    public const int DefaultMaxDims = 2048;
    public const int DefaultBatchSize = 256;

    private static readonly string[] TopLevelFields = ["sweepId", "model", "dataset", "layers", "reduction", "analyses", "resources", "repeats"];
    private static readonly string[] ModelFields = ["architecture", "parameters", "checkpoints", "initSeed"];
    private static readonly string[] DatasetFields = ["name", "parameters", "seed"];
    private static readonly string[] ReductionFields = ["kind", "maxDims", "seed"];
    private static readonly string[] AnalysisFields = ["kind", "parameters"];
    private static readonly string[] ResourceFields = ["device", "batchSize"];
    private static readonly string[] Devices = ["auto", "cpu", "cuda"];

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}\z")]
    private static partial Regex SweepIdPattern();

    public static bool IsValidSweepId(string id) => SweepIdPattern().IsMatch(id);

    /// <summary>Reads the spec file at <paramref name="path"/>; throws <see cref="SpecException"/> listing every problem.</summary>
    public static SweepSpec ReadFile(string path)
    {
        if (!File.Exists(path))
            throw new SpecException([$"spec file '{path}' does not exist: check the path"]);
        return Parse(File.ReadAllText(path), Path.GetFileName(path));
    }

    /// <summary>Parses spec JSON; <paramref name="source"/> names it in messages.</summary>
    public static SweepSpec Parse(string json, string source = "spec")
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions
            {
                CommentHandling = JsonCommentHandling.Skip,
                AllowTrailingCommas = true,
            });
        }
        catch (JsonException e)
        {
            throw new SpecException([$"{source} is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine}): {e.Message.Split([" Path:", " LineNumber:"], StringSplitOptions.None)[0]}"]);
        }

        using (document)
        {
            var problems = new List<string>();
            var spec = ReadSweep(document.RootElement, problems);
            if (problems.Count > 0) throw new SpecException(problems);
            return spec!;
        }
    }

    private static SweepSpec? ReadSweep(JsonElement root, List<string> problems)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            problems.Add("the spec must be a JSON object with fields " + string.Join(", ", TopLevelFields));
            return null;
        }
        CheckFields(root, "", TopLevelFields, problems);

        var sweepId = OptionalString(root, "sweepId", "", problems);
        if (sweepId is not null && !IsValidSweepId(sweepId))
            problems.Add($"sweepId '{sweepId}': use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");

        var model = Required(root, "model", "", problems) is { } m ? ReadModel(m, problems) : null;
        var dataset = Required(root, "dataset", "", problems) is { } d ? ReadDataset(d, problems) : null;
        var layers = ReadLayers(root, problems);
        var reduction = root.TryGetProperty("reduction", out var r) ? ReadReduction(r, problems) : new ReductionSpec(DefaultReduction, DefaultMaxDims, 0);
        var analyses = ReadAnalyses(root, problems);
        var resources = root.TryGetProperty("resources", out var res) ? ReadResources(res, problems) : new ResourceSpec("auto", DefaultBatchSize);
        var repeats = (int)OptionalInteger(root, "repeats", "", 1, 1, 10_000, problems);

        if (model is null || dataset is null || reduction is null || resources is null) return null;
        return new SweepSpec(sweepId, model, dataset, layers, reduction, analyses, resources, repeats);
    }

    private static ModelSpec? ReadModel(JsonElement e, List<string> problems)
    {
        if (!ExpectObject(e, "model", problems)) return null;
        CheckFields(e, "model.", ModelFields, problems);
        var architecture = OptionalString(e, "architecture", "model.", problems);
        var checkpoints = OptionalString(e, "checkpoints", "model.", problems);
        if (architecture is null && checkpoints is null)
            problems.Add("model: give 'architecture' (an untrained network) or 'checkpoints' (a folder written by 'probegrid train'), or both");
        return new ModelSpec(architecture, ReadParameters(e, "model.", problems), checkpoints,
            OptionalInteger(e, "initSeed", "model.", 0, long.MinValue, long.MaxValue, problems));
    }

    private static DatasetSpec? ReadDataset(JsonElement e, List<string> problems)
    {
        if (!ExpectObject(e, "dataset", problems)) return null;
        CheckFields(e, "dataset.", DatasetFields, problems);
        var name = OptionalString(e, "name", "dataset.", problems);
        if (name is null) problems.Add("dataset.name is missing: e.g. \"fashion-mnist\" or \"gaussian-sign\"");
        return new DatasetSpec(name ?? "", ReadParameters(e, "dataset.", problems),
            OptionalInteger(e, "seed", "dataset.", 0, long.MinValue, long.MaxValue, problems));
    }

    private static ImmutableArray<string> ReadLayers(JsonElement root, List<string> problems)
    {
        if (!root.TryGetProperty("layers", out var e)) return ["*"];
        if (e.ValueKind == JsonValueKind.String) return [e.GetString()!];
        if (e.ValueKind != JsonValueKind.Array)
        {
            problems.Add("layers must be \"*\" (every tap) or an array of tap names");
            return [];
        }
        var layers = ImmutableArray.CreateBuilder<string>();
        var index = 0;
        foreach (var item in e.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String && item.GetString() is { Length: > 0 } s) layers.Add(s);
            else problems.Add($"layers[{index}] must be a non-empty tap name");
            index++;
        }
        if (layers.Count == 0 && index == 0) problems.Add("layers is empty: name at least one tap, or \"*\" for all");
        if (layers.Distinct().Count() != layers.Count) problems.Add("layers names a tap more than once");
        return layers.ToImmutable();
    }

    private static ReductionSpec? ReadReduction(JsonElement e, List<string> problems)
    {
        if (!ExpectObject(e, "reduction", problems)) return null;
        CheckFields(e, "reduction.", ReductionFields, problems);
        var kind = OptionalString(e, "kind", "reduction.", problems) ?? DefaultReduction;
        var maxDims = (int)OptionalInteger(e, "maxDims", "reduction.", DefaultMaxDims, 1, 1 << 20, problems);
        return new ReductionSpec(kind, maxDims, OptionalInteger(e, "seed", "reduction.", 0, long.MinValue, long.MaxValue, problems));
    }

    private static ImmutableArray<AnalysisSpec> ReadAnalyses(JsonElement root, List<string> problems)
    {
        if (!root.TryGetProperty("analyses", out var e) || e.ValueKind != JsonValueKind.Array || e.GetArrayLength() == 0)
        {
            problems.Add("analyses must be a non-empty array, e.g. [{\"kind\": \"probe\"}]");
            return [];
        }
        var analyses = ImmutableArray.CreateBuilder<AnalysisSpec>();
        var index = 0;
        foreach (var item in e.EnumerateArray())
        {
            var path = $"analyses[{index++}]";
            if (!ExpectObject(item, path, problems)) continue;
            CheckFields(item, path + ".", AnalysisFields, problems);
            var kind = OptionalString(item, "kind", path + ".", problems);
            if (kind is null) problems.Add($"{path}.kind is missing: e.g. \"probe\"");
            analyses.Add(new AnalysisSpec(kind ?? "", ReadParameters(item, path + ".", problems)));
        }
        return analyses.ToImmutable();
    }

    private static ResourceSpec? ReadResources(JsonElement e, List<string> problems)
    {
        if (!ExpectObject(e, "resources", problems)) return null;
        CheckFields(e, "resources.", ResourceFields, problems);
        var device = OptionalString(e, "device", "resources.", problems) ?? "auto";
        if (!Devices.Contains(device))
            problems.Add($"resources.device '{device}': use one of {string.Join(", ", Devices)}");
        var batch = (int)OptionalInteger(e, "batchSize", "resources.", DefaultBatchSize, 1, 65_536, problems);
        return new ResourceSpec(device, batch);
    }

    /// <summary>Parameters are kept as invariant strings; each analysis and model parses and checks its own.</summary>
    private static ImmutableSortedDictionary<string, string> ReadParameters(JsonElement parent, string path, List<string> problems)
    {
        var result = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        if (!parent.TryGetProperty("parameters", out var e)) return result.ToImmutable();
        if (e.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"{path}parameters must be an object of name: value");
            return result.ToImmutable();
        }
        foreach (var p in e.EnumerateObject())
        {
            switch (p.Value.ValueKind)
            {
                case JsonValueKind.String: result[p.Name] = p.Value.GetString()!; break;
                case JsonValueKind.Number: result[p.Name] = p.Value.GetRawText(); break;
                case JsonValueKind.True: result[p.Name] = "true"; break;
                case JsonValueKind.False: result[p.Name] = "false"; break;
                default: problems.Add($"{path}parameters.{p.Name} must be a string, number or boolean"); break;
            }
        }
        return result.ToImmutable();
    }

    private static void CheckFields(JsonElement e, string path, string[] known, List<string> problems)
    {
        foreach (var p in e.EnumerateObject())
            if (!known.Contains(p.Name))
                problems.Add($"{path}{p.Name} is not a known field: use {string.Join(", ", known)}");
    }

    private static bool ExpectObject(JsonElement e, string path, List<string> problems)
    {
        if (e.ValueKind == JsonValueKind.Object) return true;
        problems.Add($"{path} must be a JSON object");
        return false;
    }

    private static JsonElement? Required(JsonElement parent, string name, string path, List<string> problems)
    {
        if (parent.TryGetProperty(name, out var e)) return e;
        problems.Add($"{path}{name} is missing");
        return null;
    }

    private static string? OptionalString(JsonElement parent, string name, string path, List<string> problems)
    {
        if (!parent.TryGetProperty(name, out var e) || e.ValueKind == JsonValueKind.Null) return null;
        if (e.ValueKind == JsonValueKind.String && e.GetString() is { Length: > 0 } s) return s;
        problems.Add($"{path}{name} must be a non-empty string");
        return null;
    }

    private static long OptionalInteger(JsonElement parent, string name, string path, long fallback, long min, long max, List<string> problems)
    {
        if (!parent.TryGetProperty(name, out var e)) return fallback;
        if (e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out var v) && v >= min && v <= max) return v;
        var range = min == long.MinValue ? "an integer" : $"an integer from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}";
        problems.Add($"{path}{name} must be {range} (found {e.GetRawText()})");
        return fallback;
    }
}
