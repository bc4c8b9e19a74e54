namespace ProbeGrid.Cli.Commands;

/// <summary>Reads repeated <c>name=value</c> command-line parameters into a dictionary.</summary>
public static class KeyValueParser
{
    public static Dictionary<string, string> Parse(IEnumerable<string>? pairs, string option)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs ?? [])
        {
            var eq = pair.IndexOf('=');
            if (eq <= 0 || eq == pair.Length - 1)
                throw new ArgumentException($"{option} '{pair}' must be name=value, e.g. {option} depth=8");
            result[pair[..eq]] = pair[(eq + 1)..];
        }
        return result;
    }
}
