using System.Globalization;
using ProbeGrid.Analysis;
using ProbeGrid.GrainsInterfaces.Specs;

namespace ProbeGrid.Grains.Analyses;

/// <summary>
/// Reads an analysis's string parameters (as a spec gives them) into typed values, collecting
/// every problem: unknown names (with the known ones) and values that do not parse. A value that
/// does not parse reads as its default, so range checks that follow see only values that parsed
/// and nothing is reported twice.
/// </summary>
public sealed class AnalysisParameters
{
    private readonly IReadOnlyDictionary<string, string> values;
    private readonly string path;

    public AnalysisParameters(AnalysisSpec spec, string path, IReadOnlyList<string> known)
    {
        values = spec.Parameters;
        this.path = path;
        foreach (var name in values.Keys.Where(k => !known.Contains(k)))
            Problems.Add($"{path}.parameters.{name} is not a {spec.Kind} parameter: use {string.Join(", ", known)}");
    }

    public List<string> Problems { get; } = [];

    /// <summary>
    /// The settings <paramref name="read"/> gives (names, values that parse) when they pass <paramref name="validate"/>
    /// (ranges, reported under <paramref name="path"/>); null, with every problem added to <paramref name="problems"/>, when not.
    /// </summary>
    public static T? Settle<T>(string path, List<string> problems, Func<List<string>, T> read, Func<T, IEnumerable<string>> validate) where T : class
    {
        var found = new List<string>();
        var settings = read(found);
        found.AddRange(validate(settings).Select(p => $"{path}: {p}"));
        problems.AddRange(found);
        return found.Count == 0 ? settings : null;
    }

    public int Int(string name, int fallback) => (int)Integer(name, fallback, int.MinValue, int.MaxValue);

    public long Long(string name, long fallback) => Integer(name, fallback, long.MinValue, long.MaxValue);

    /// <summary>An integer parameter; a whole number out of range is reported as too large or too small, with the range.</summary>
    private long Integer(string name, long fallback, long min, long max)
    {
        if (!values.TryGetValue(name, out var text)) return fallback;
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max) return value;
        IntegerText.TryParse(text, min, max, out _, out var outOfRange);
        Problems.Add(outOfRange is null ? $"{path}.parameters.{name} {SpecText.Quote(text)} is not a valid integer" : $"{path}.parameters.{name} {outOfRange}");
        return fallback;
    }

    public double Real(string name, double fallback) =>
        Get(name, fallback, "number", s => (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v), v));

    /// <summary>A comma-separated list of numbers; null when the parameter is not given or a value does not parse (then a problem says which).</summary>
    public IReadOnlyList<double>? RealList(string name)
    {
        if (!values.TryGetValue(name, out var text)) return null;
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var parsed = parts.Select(s => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : (double?)null).ToList();
        if (parsed.Count > 0 && parsed.All(v => v is not null)) return parsed.Select(v => v!.Value).ToArray();
        Problems.Add($"{path}.parameters.{name} '{text}' must be comma-separated numbers, e.g. \"1e-4,1e-3,1e-2\"");
        return null;
    }

    public bool Bool(string name, bool fallback) => Get(name, fallback, "boolean (true or false)", s => (bool.TryParse(s, out var v), v));

    public string Text(string name, string fallback) => values.GetValueOrDefault(name, fallback);

    public string? OptionalText(string name) => values.GetValueOrDefault(name);

    private T Get<T>(string name, T fallback, string what, Func<string, (bool Ok, T Value)> parse)
    {
        if (!values.TryGetValue(name, out var text)) return fallback;
        var (ok, value) = parse(text);
        if (!ok) Problems.Add($"{path}.parameters.{name} '{text}' is not a valid {what}");
        return ok ? value : fallback;
    }
}
