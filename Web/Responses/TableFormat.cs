using Microsoft.AspNetCore.Http;

namespace ProbeGrid.Web.Responses;

/// <summary>JSON or CSV for an endpoint that returns a table: <c>?format=csv|json</c>, else an Accept header naming text/csv, else JSON.</summary>
public enum TableFormat
{
    Json,
    Csv,
}

public static class TableFormats
{
    public const string CsvType = "text/csv; charset=utf-8";

    public static TableFormat Choose(HttpRequest request, string? format, List<string> problems, params string[] others)
    {
        switch (format)
        {
            case "json": return TableFormat.Json;
            case "csv": return TableFormat.Csv;
            case null or "":
                return request.Headers.Accept.Any(a => a?.Contains("text/csv", StringComparison.OrdinalIgnoreCase) == true) ? TableFormat.Csv : TableFormat.Json;
            default:
                if (!others.Contains(format))
                    problems.Add($"format '{format}' must be {string.Join(", ", new[] { "json", "csv" }.Concat(others))} (or leave it out and send Accept: text/csv for CSV)");
                return TableFormat.Json;
        }
    }
}
