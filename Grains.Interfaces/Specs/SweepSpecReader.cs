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
    public const string DefaultReduction = "sparse-projection";
    public const int DefaultMaxDims = 2048;
    public const int DefaultBatchSize = 256;

    private static readonly string[] TopLevelFields = ["sweepId", "model", "dataset", "layers", "reduction", "analyses", "resources", "repeats", "follow"];
    private static readonly string[] FollowFields = ["thinning", "idleMinutes", "settleSeconds", "pollSeconds"];
    private static readonly string[] ThinningFields = ["kind", "interval"];
    private static readonly string[] ModelFields = ["architecture", "parameters", "checkpoints", "initSeed"];
    private static readonly string[] DatasetFields = ["name", "parameters", "seed"];
    private static readonly string[] ReductionFields = ["kind", "maxDims", "seed"];
    private static readonly string[] AnalysisFields = ["kind", "parameters"];
    private static readonly string[] ResourceFields = ["device", "batchSize"];
    private static readonly string[] Devices = ["auto", "cpu", "cuda"];

    /// <summary>The longest sweep id: it names state keys, log properties and the output folder.</summary>
    public const int MaxSweepIdLength = 64;

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]*\z")]
    private static partial Regex SweepIdPattern();

    public static bool IsValidSweepId(string id) => id.Length <= MaxSweepIdLength && SweepIdPattern().IsMatch(id);

    /// <summary>Reads the spec file at <paramref name="path"/>; throws <see cref="SpecException"/> listing every problem.</summary>
    public static SweepSpec ReadFile(string path)
    {
        var problems = new List<string>();
        var spec = ReadFile(path, problems);
        if (problems.Count > 0) throw new SpecException(problems);
        return spec!;
    }

    /// <summary>
    /// Reads the spec file at <paramref name="path"/>, adding every problem to <paramref name="problems"/>. Returns the
    /// spec, with defaults where a field was wrong, whenever its model and dataset could be read (so the later checks
    /// can still run and report their problems in the same round); null when not.
    /// </summary>
    /// <param name="checkpoints">the checkpoint folder when the spec leaves model.checkpoints out (`train --analyse`: the run's --out); null: none.</param>
    public static SweepSpec? ReadFile(string path, List<string> problems, string? checkpoints = null)
    {
        if (Directory.Exists(path))
        {
            var json = Directory.EnumerateFiles(path, "*.json").Select(Path.GetFileName).Order(StringComparer.Ordinal).Take(3).ToList();
            problems.Add($"spec '{path}' is a folder: give the path of the sweep spec's JSON file" +
                         (json.Count > 0 ? $" (this folder holds {string.Join(", ", json.Select(f => SpecText.Quote(f!)))})" : ""));
            return null;
        }
        if (!File.Exists(path))
        {
            problems.Add($"spec file '{path}' does not exist: check the path");
            return null;
        }
        return Read(File.ReadAllText(path), Path.GetFileName(path), problems, checkpoints);
    }

    /// <summary>Parses spec JSON; <paramref name="source"/> names it in messages.</summary>
    public static SweepSpec Parse(string json, string source = "spec")
    {
        var problems = new List<string>();
        var spec = Read(json, source, problems);
        if (problems.Count > 0) throw new SpecException(problems);
        return spec!;
    }

    /// <summary>Parses spec JSON as <see cref="ReadFile(string, List{string})"/> reads a file.</summary>
    public static SweepSpec? Read(string json, string source, List<string> problems, string? checkpoints = null)
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
            problems.Add($"{source} is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine}): {e.Message.Split([" Path:", " LineNumber:"], StringSplitOptions.None)[0]}");
            return null;
        }

        using (document)
        {
            return ReadSweep(document.RootElement, problems, checkpoints);
        }
    }

    private static SweepSpec? ReadSweep(JsonElement root, List<string> problems, string? checkpoints)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            problems.Add("the spec must be a JSON object with fields " + string.Join(", ", TopLevelFields));
            return null;
        }
        CheckFields(root, "", TopLevelFields, problems);

        var sweepId = OptionalString(root, "sweepId", "", problems, bounded: false); // checked just below, with its own limit
        if (sweepId is not null && !IsValidSweepId(sweepId))
            problems.Add($"sweepId {SpecText.Quote(sweepId)}" + (sweepId.Length > MaxSweepIdLength ? $" is {sweepId.Length.ToString("N0", CultureInfo.InvariantCulture)} characters long" : " is not a sweep id") +
                         $": use 1 to {MaxSweepIdLength} letters, digits, '.', '_' or '-', starting with a letter or digit");

        var model = Required(root, "model", "", problems) is { } m ? ReadModel(m, problems, checkpoints) : null;
        var dataset = Required(root, "dataset", "", problems) is { } d ? ReadDataset(d, problems) : null;
        var layers = ReadLayers(root, problems);
        var reduction = root.TryGetProperty("reduction", out var r) ? ReadReduction(r, problems) : new ReductionSpec(DefaultReduction, DefaultMaxDims, 0);
        var analyses = ReadAnalyses(root, problems);
        var resources = root.TryGetProperty("resources", out var res) ? ReadResources(res, problems) : new ResourceSpec("auto", DefaultBatchSize);
        var repeats = (int)OptionalInteger(root, "repeats", "", 1, 1, 10_000, problems);

        var follow = root.TryGetProperty("follow", out var f) ? ReadFollow(f, problems) : null;

        if (model is null || dataset is null || reduction is null || resources is null) return null;
        return new SweepSpec(sweepId, model, dataset, layers, reduction, analyses, resources, repeats) { Follow = follow };
    }

    /// <summary><c>"follow": true</c> (the defaults), <c>false</c> (a sweep planned once), or an object of settings.</summary>
    private static FollowSpec? ReadFollow(JsonElement e, List<string> problems)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.True: return FollowSpec.Default;
            case JsonValueKind.False or JsonValueKind.Null: return null;
            case JsonValueKind.Object: break;
            default:
                problems.Add($"follow must be true, false or an object with fields {string.Join(", ", FollowFields)} (found {SpecText.Quote(e.GetRawText())})");
                return null;
        }
        CheckFields(e, "follow.", FollowFields, problems);
        var thinning = e.TryGetProperty("thinning", out var t) ? ReadThinning(t, problems) : ThinningSpec.Every;
        var idle = OptionalNumber(e, "idleMinutes", "follow.", 0, 0, 525_600, problems, "0 (never) to 525600 (a year)");
        var settle = OptionalNumber(e, "settleSeconds", "follow.", FollowSpec.DefaultSettleSeconds, 0, 86_400, problems, "0 to 86400 (a day)");
        var poll = OptionalNumber(e, "pollSeconds", "follow.", FollowSpec.DefaultPollSeconds, 0.1, 3_600, problems, "0.1 to 3600");
        return new FollowSpec(thinning ?? ThinningSpec.Every, idle, settle, poll);
    }

    /// <summary><c>"every"</c>, <c>"newest-first"</c>, or <c>{"kind": "steps" | "minutes", "interval": N}</c>.</summary>
    private static ThinningSpec? ReadThinning(JsonElement e, List<string> problems)
    {
        const string usage = "use \"every\", \"newest-first\", {\"kind\": \"steps\", \"interval\": 1000} or {\"kind\": \"minutes\", \"interval\": 60}";
        string? kind;
        double interval = 0;
        if (e.ValueKind == JsonValueKind.String) kind = e.GetString();
        else if (e.ValueKind == JsonValueKind.Object)
        {
            CheckFields(e, "follow.thinning.", ThinningFields, problems);
            kind = OptionalString(e, "kind", "follow.thinning.", problems);
            if (kind is null)
            {
                problems.Add($"follow.thinning.kind is missing: {usage}");
                return null;
            }
            if (ThinningSpec.HasInterval(kind))
            {
                if (!e.TryGetProperty("interval", out _))
                {
                    problems.Add($"follow.thinning.interval is missing: thinning '{kind}' analyses at most one checkpoint per interval {(kind == ThinningSpec.StepsKind ? "of training steps" : "of minutes")}, e.g. {{\"kind\": \"{kind}\", \"interval\": {(kind == ThinningSpec.StepsKind ? "1000" : "60")}}}");
                    return null;
                }
                interval = OptionalNumber(e, "interval", "follow.thinning.", 0, double.Epsilon, 1e15, problems, "a positive number");
            }
            else if (e.TryGetProperty("interval", out _) && ThinningSpec.Kinds.Contains(kind))
                problems.Add($"follow.thinning.interval: thinning '{kind}' takes no interval; remove it, or use kind \"steps\" or \"minutes\"");
        }
        else
        {
            problems.Add($"follow.thinning must be a string or an object: {usage}");
            return null;
        }
        if (kind is null || !ThinningSpec.Kinds.Contains(kind))
        {
            problems.Add($"follow.thinning {SpecText.Quote(kind ?? "")} is not a thinning policy: {usage}");
            return null;
        }
        if (ThinningSpec.HasInterval(kind) && e.ValueKind == JsonValueKind.String)
        {
            problems.Add($"follow.thinning '{kind}' needs an interval: {{\"kind\": \"{kind}\", \"interval\": {(kind == ThinningSpec.StepsKind ? "1000" : "60")}}}");
            return null;
        }
        return new ThinningSpec(kind, interval);
    }

    private static double OptionalNumber(JsonElement parent, string name, string path, double fallback, double min, double max, List<string> problems, string range)
    {
        if (!parent.TryGetProperty(name, out var e)) return fallback;
        if (e.ValueKind == JsonValueKind.Number && e.TryGetDouble(out var v) && double.IsFinite(v) && v >= min && v <= max) return v;
        problems.Add($"{path}{name} must be a number from {range} (found {SpecText.Quote(e.GetRawText())})");
        return fallback;
    }

    private static ModelSpec? ReadModel(JsonElement e, List<string> problems, string? defaultCheckpoints)
    {
        if (!ExpectObject(e, "model", problems)) return null;
        CheckFields(e, "model.", ModelFields, problems);
        var architecture = OptionalString(e, "architecture", "model.", problems);
        var checkpoints = OptionalString(e, "checkpoints", "model.", problems) ?? defaultCheckpoints;
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
        var dataset = new DatasetSpec(name ?? "", ReadParameters(e, "dataset.", problems),
            OptionalInteger(e, "seed", "dataset.", 0, long.MinValue, long.MaxValue, problems));
        return name is null ? null : dataset; // nothing later can be checked against a data set without a name
    }

    private static ImmutableArray<string> ReadLayers(JsonElement root, List<string> problems)
    {
        if (!root.TryGetProperty("layers", out var e)) return ["*"];
        if (e.ValueKind == JsonValueKind.String) return [Bounded(e.GetString()!, "layers", problems)];
        if (e.ValueKind != JsonValueKind.Array)
        {
            problems.Add("layers must be \"*\" (every tap) or an array of tap names");
            return [];
        }
        var layers = ImmutableArray.CreateBuilder<string>();
        var index = 0;
        foreach (var item in e.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String && item.GetString() is { Length: > 0 } s) layers.Add(Bounded(s, $"layers[{index}]", problems));
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
            var parameters = ReadParameters(item, path + ".", problems);
            if (kind is not null) analyses.Add(new AnalysisSpec(kind, parameters));
        }
        return analyses.ToImmutable();
    }

    private static ResourceSpec? ReadResources(JsonElement e, List<string> problems)
    {
        if (!ExpectObject(e, "resources", problems)) return null;
        CheckFields(e, "resources.", ResourceFields, problems);
        var device = OptionalString(e, "device", "resources.", problems) ?? "auto";
        if (!Devices.Contains(device))
            problems.Add($"resources.device {SpecText.Quote(device)}: use one of {string.Join(", ", Devices)}");
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
            if (p.Name.Length > SpecText.MaxLength)
            {
                problems.Add($"{path}parameters has a name {p.Name.Length.ToString("N0", CultureInfo.InvariantCulture)} characters long ({SpecText.Quote(p.Name)}): at most {SpecText.MaxLength}");
                continue;
            }
            var name = $"{path}parameters.{(p.Name.Length > SpecText.ShownPrefix ? SpecText.Quote(p.Name) : p.Name)}";
            switch (p.Value.ValueKind)
            {
                case JsonValueKind.String: result[p.Name] = Bounded(p.Value.GetString()!, name, problems); break;
                case JsonValueKind.Number: result[p.Name] = Bounded(p.Value.GetRawText(), name, problems); break;
                case JsonValueKind.True: result[p.Name] = "true"; break;
                case JsonValueKind.False: result[p.Name] = "false"; break;
                default: problems.Add($"{name} must be a string, number or boolean"); break;
            }
        }
        return result.ToImmutable();
    }

    private static void CheckFields(JsonElement e, string path, string[] known, List<string> problems)
    {
        foreach (var p in e.EnumerateObject())
            if (!known.Contains(p.Name))
                problems.Add($"{path}{(p.Name.Length > SpecText.ShownPrefix ? SpecText.Quote(p.Name) : p.Name)} is not a known field: use {string.Join(", ", known)}");
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

    private static string? OptionalString(JsonElement parent, string name, string path, List<string> problems, bool bounded = true)
    {
        if (!parent.TryGetProperty(name, out var e) || e.ValueKind == JsonValueKind.Null) return null;
        if (e.ValueKind == JsonValueKind.String && e.GetString() is { Length: > 0 } s) return bounded ? Bounded(s, path + name, problems) : s;
        problems.Add($"{path}{name} must be a non-empty string");
        return null;
    }

    /// <summary><paramref name="value"/>, with a problem when it is longer than any spec string needs to be.</summary>
    private static string Bounded(string value, string field, List<string> problems)
    {
        if (value.Length > SpecText.MaxLength)
            problems.Add($"{field} is {value.Length.ToString("N0", CultureInfo.InvariantCulture)} characters long ({SpecText.Quote(value)}): at most {SpecText.MaxLength}");
        return value;
    }

    private static long OptionalInteger(JsonElement parent, string name, string path, long fallback, long min, long max, List<string> problems)
    {
        if (!parent.TryGetProperty(name, out var e)) return fallback;
        if (e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out var v) && v >= min && v <= max) return v;
        var found = SpecText.Quote(e.GetRawText());
        var range = $"{min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}";
        // A whole number beyond the range (1e12, or past 64 bits) is too large or too small, not "not an integer".
        var whole = e.ValueKind == JsonValueKind.Number && e.TryGetDouble(out var d) && double.IsFinite(d) && Math.Floor(d) == d ? d : (double?)null;
        if (e.ValueKind == JsonValueKind.Number && !e.TryGetDouble(out _)) whole = e.GetRawText().StartsWith('-') ? double.NegativeInfinity : double.PositiveInfinity;
        problems.Add(whole switch
        {
            double w when w > max => $"{path}{name} {found} is too large: the allowed range is {range}",
            double w when w < min => $"{path}{name} {found} is too small: the allowed range is {range}",
            not null when !e.TryGetInt64(out _) => $"{path}{name} {found} must be written as a plain integer (no exponent or decimal point), from {range}",
            _ => $"{path}{name} must be an integer{(min == long.MinValue ? "" : " from " + range)} (found {found})",
        });
        return fallback;
    }
}
