using System.Globalization;

namespace ProbeGrid.GrainsInterfaces.Specs;

/// <summary>
/// How a spec's own text appears in messages: quoted, and cut to a short prefix, so that a huge value
/// (a 100 MB sweepId, a field name, a number literal) is never echoed whole to the terminal or the log.
/// </summary>
public static class SpecText
{
    /// <summary>Characters of a value shown before it is cut.</summary>
    public const int ShownPrefix = 40;

    /// <summary>The longest string a spec may hold in any field or parameter: a path (PATH_MAX is 4,096 bytes) fits.</summary>
    public const int MaxLength = 4096;

    /// <summary>'value', or 'prefix…' (N characters) when it is longer than <see cref="ShownPrefix"/>.</summary>
    public static string Quote(string value) =>
        value.Length <= ShownPrefix ? $"'{value}'" : $"'{value[..ShownPrefix]}…' ({value.Length.ToString("N0", CultureInfo.InvariantCulture)} characters)";
}
