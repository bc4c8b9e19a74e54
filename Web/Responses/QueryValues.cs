using System.Globalization;

namespace ProbeGrid.Web.Responses;

/// <summary>Query parameters read as text and parsed here, so that every bad one is listed at once (binding would stop at the first).</summary>
public static class QueryValues
{
    public static int[] Integers(string name, string[]? values, List<string> problems, int minimum = 0)
    {
        var parsed = new List<int>();
        foreach (var value in values ?? [])
        {
            if (int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= minimum) parsed.Add(n);
            else problems.Add($"{name} '{value}' must be a whole number of at least {minimum}");
        }
        return [.. parsed];
    }

    public static int? Integer(string name, string? value, List<string> problems, int minimum = 0) =>
        value is null ? null : Integers(name, [value], problems, minimum) is [var n] ? n : null;

    public static bool Flag(string name, string? value, List<string> problems)
    {
        switch (value?.ToLowerInvariant())
        {
            case null or "" or "true" or "1": return value is not null;
            case "false" or "0": return false;
            default:
                problems.Add($"{name} '{value}' must be true or false");
                return false;
        }
    }

    public static string[] Texts(string[]? values) => values?.Where(v => v.Length > 0).ToArray() ?? [];
}
