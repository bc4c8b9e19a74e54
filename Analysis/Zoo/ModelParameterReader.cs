using System.Globalization;

namespace ProbeGrid.Analysis.Zoo;

/// <summary>
/// Reads an architecture's parameters from invariant-culture strings. It never throws: every bad
/// value and unknown name is collected, so a sweep spec's author sees all problems at once.
/// It also records each value in canonical form (defaults filled in), so two spellings of the
/// same network compare equal. Public: an <see cref="IArchitecture"/> reads its parameters through it.
/// </summary>
public sealed class ModelParameterReader(string architecture, IReadOnlyDictionary<string, string> values)
{
    private readonly List<string> problems = [];
    private readonly List<string> known = [];
    private readonly Dictionary<string, string> canonical = new(StringComparer.Ordinal);

    public string Architecture => architecture;

    /// <summary>Canonical invariant-culture value of every parameter read, defaults included.</summary>
    public IReadOnlyDictionary<string, string> Canonical => canonical;

    /// <summary>The names read so far, in reading order: after <see cref="IArchitecture.ReadParameters"/>, the architecture's parameters.</summary>
    public IReadOnlyList<string> Names => known;

    public bool IsGiven(string name) => values.ContainsKey(name);

    public int Int(string name, int defaultValue, int min, int max)
    {
        known.Add(name);
        var value = defaultValue;
        if (values.TryGetValue(name, out var text))
        {
            if (!int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out value))
            {
                Problem(IntegerText.TryParse(text, min, max, out _, out var outOfRange) || outOfRange is null
                    ? $"parameter '{name}' = '{text}' is not an integer; allowed: an integer in [{min}, {max}] (default {defaultValue})."
                    : $"parameter '{name}' {outOfRange} (default {defaultValue}).");
                return defaultValue;
            }
            if (value < min || value > max)
            {
                Problem($"parameter '{name}' = {value} is out of range; allowed: an integer in [{min}, {max}] (default {defaultValue}).");
                return defaultValue;
            }
        }
        canonical[name] = value.ToString(CultureInfo.InvariantCulture);
        return value;
    }

    public double Double(string name, double defaultValue, double min, double max)
    {
        known.Add(name);
        var value = defaultValue;
        if (values.TryGetValue(name, out var text))
        {
            if (!double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value))
            {
                Problem($"parameter '{name}' = '{text}' is not a number (use '.' as the decimal point); allowed: a number in [{Format(min)}, {Format(max)}] (default {Format(defaultValue)}).");
                return defaultValue;
            }
            if (!(value >= min && value <= max))
            {
                Problem($"parameter '{name}' = {Format(value)} is out of range; allowed: a number in [{Format(min)}, {Format(max)}] (default {Format(defaultValue)}).");
                return defaultValue;
            }
        }
        canonical[name] = Format(value);
        return value;
    }

    /// <summary>An optional integer: null when absent (no default exists, e.g. a skip connection).</summary>
    public int? OptionalInt(string name, int min, int max)
    {
        known.Add(name);
        if (!values.TryGetValue(name, out var text))
            return null;
        if (!int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            Problem(IntegerText.TryParse(text, min, max, out _, out var outOfRange) || outOfRange is null
                ? $"parameter '{name}' = '{text}' is not an integer; allowed: an integer in [{min}, {max}], or leave it out."
                : $"parameter '{name}' {outOfRange}, or leave it out.");
            return null;
        }
        if (value < min || value > max)
        {
            Problem($"parameter '{name}' = {value} is out of range; allowed: an integer in [{min}, {max}], or leave it out.");
            return null;
        }
        canonical[name] = value.ToString(CultureInfo.InvariantCulture);
        return value;
    }

    /// <summary>
    /// An optional choice: null when absent (no default exists, e.g. where to insert a block).
    /// <paramref name="whyOnlyThese"/> follows the allowed list in a refusal, for a choice whose
    /// list leaves out values that look as if they belong.
    /// </summary>
    public string? OptionalChoice(string name, IReadOnlyList<string> allowed, string whyOnlyThese)
    {
        known.Add(name);
        if (!values.TryGetValue(name, out var text))
            return null;
        var match = allowed.FirstOrDefault(a => string.Equals(a, text.Trim(), StringComparison.OrdinalIgnoreCase));
        if (match is null)
        {
            Problem($"parameter '{name}' = '{text}' is not allowed; allowed: {string.Join(", ", allowed)} ({whyOnlyThese}), or leave it out.");
            return null;
        }
        canonical[name] = match;
        return match;
    }

    public string Choice(string name, string defaultValue, IReadOnlyList<string> allowed)
    {
        known.Add(name);
        var value = defaultValue;
        if (values.TryGetValue(name, out var text))
        {
            var match = allowed.FirstOrDefault(a => string.Equals(a, text.Trim(), StringComparison.OrdinalIgnoreCase));
            if (match is null)
            {
                Problem($"parameter '{name}' = '{text}' is not allowed; allowed: {string.Join(", ", allowed)} (default {defaultValue}).");
                return defaultValue;
            }
            value = match;
        }
        canonical[name] = value;
        return value;
    }

    /// <summary>
    /// A required text value (a path, say), trimmed and kept as given; null, with a problem that says what to give
    /// (<paramref name="whatToGive"/>), when it is absent or blank.
    /// </summary>
    public string? RequiredText(string name, string whatToGive)
    {
        known.Add(name);
        if (!values.TryGetValue(name, out var text) || string.IsNullOrWhiteSpace(text))
        {
            Problem($"parameter '{name}' is {(values.ContainsKey(name) ? "empty" : "missing")}: give {whatToGive}.");
            return null;
        }
        canonical[name] = text.Trim();
        return text.Trim();
    }

    /// <summary>
    /// A required comma-separated list, each item trimmed (canonical form: the items joined by ","); null, with a
    /// problem that says what to give, when it is absent, blank, or has an empty item.
    /// </summary>
    public IReadOnlyList<string>? RequiredList(string name, string whatToGive)
    {
        known.Add(name);
        if (!values.TryGetValue(name, out var text) || string.IsNullOrWhiteSpace(text))
        {
            Problem($"parameter '{name}' is {(values.ContainsKey(name) ? "empty" : "missing")}: give {whatToGive}.");
            return null;
        }
        var items = text.Split(',').Select(i => i.Trim()).ToList();
        if (items.Any(i => i.Length == 0))
        {
            Problem($"parameter '{name}' = '{text}' has an empty item: give {whatToGive}, separated by single commas.");
            return null;
        }
        canonical[name] = string.Join(",", items);
        return items;
    }

    public void Problem(string message) => problems.Add($"{architecture}: {message}");

    /// <summary>All problems, including the names no reader call asked for.</summary>
    public IReadOnlyList<string> Problems()
    {
        var all = new List<string>(problems);
        foreach (var name in values.Keys.Where(n => !known.Contains(n, StringComparer.Ordinal)).Order(StringComparer.Ordinal))
        {
            var nearMiss = known.FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase));
            var hint = nearMiss is null ? "" : $" (did you mean '{nearMiss}'?)";
            all.Add($"{architecture}: unknown parameter '{name}'{hint}; allowed: {string.Join(", ", known)}.");
        }
        return all;
    }

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
