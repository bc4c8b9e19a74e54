using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using ProbeGrid.Client.Export;
using ProbeGrid.GrainsInterfaces.Results;

namespace ProbeGrid.Web.Responses;

/// <summary>
/// Metric values written row by row to the response and flushed as they go, never built whole in memory: a sweep's
/// long table can hold millions of rows. No Content-Length is sent (the body is chunked).
/// </summary>
public static class StreamedTable
{
    private const int RowsPerFlush = 2000;

    /// <summary>The long-format CSV (<see cref="MetricCsv"/>): what `probegrid curves --format csv` prints.</summary>
    public static IResult Csv(IEnumerable<MetricValue> values, string? fileName = null) => Results.Stream(async body =>
    {
        await using var writer = new StreamWriter(body, new UTF8Encoding(false), 1 << 16) { NewLine = "\n" };
        var rows = 0;
        await writer.WriteLineAsync(MetricCsv.Header);
        foreach (var v in values)
        {
            await writer.WriteLineAsync(MetricCsv.Row(v));
            if (++rows % RowsPerFlush == 0) await writer.FlushAsync();
        }
    }, TableFormats.CsvType, fileName);

    /// <summary>A JSON array of values, written element by element (into a buffer sent on whenever it fills: responses take no synchronous writes).</summary>
    public static IResult Json<T>(IEnumerable<T> items) => Results.Stream(async body =>
    {
        var buffer = new ArrayBufferWriter<byte>(1 << 16);
        await using var json = new Utf8JsonWriter(buffer);
        json.WriteStartArray();
        foreach (var item in items)
        {
            JsonSerializer.Serialize(json, item, ApiJson.Options);
            if (json.BytesPending + buffer.WrittenCount >= 1 << 16) await Send();
        }
        json.WriteEndArray();
        await Send();

        async Task Send()
        {
            json.Flush();
            await body.WriteAsync(buffer.WrittenMemory);
            await body.FlushAsync();
            buffer.Clear();
        }
    }, "application/json; charset=utf-8");
}
