using System.Text.Json;
using ProbeGrid.Client.Export;

namespace ProbeGrid.Web.Responses;

/// <summary>The API's JSON: the CLI's (<see cref="JsonExport"/>: camelCase, enums by name, NaN as "NaN") on one line.</summary>
public static class ApiJson
{
    public static readonly JsonSerializerOptions Options = new(JsonExport.Options) { WriteIndented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
