using System.Text.Json;
using System.Text.Json.Serialization;

namespace ProbeGrid.Client.Export;

/// <summary>Curves, statuses and failures as JSON: camelCase, enums as names, indented (what the CLI's --json prints).</summary>
public static class JsonExport
{
    public static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);
}
