using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using ProbeGrid.Client.Export;
using ProbeGrid.Client.Queries;
using ProbeGrid.GrainsInterfaces.Results;
using ProbeGrid.Web.Responses;

namespace ProbeGrid.Web.Endpoints;

/// <summary>Complexity spectra of one or more sweeps (a per-order metric vs the order l), with the checks of `probegrid spectrum`.</summary>
public static class SpectrumEndpoints
{
    public static void Map(IEndpointRouteBuilder app, ApiSettings settings)
    {
        app.MapGet("/api/spectra", async (HttpRequest request, [FromQuery] string[]? sweep, [FromQuery] string? metric, [FromQuery] string[]? layer,
            [FromQuery] string[]? checkpoint, [FromQuery(Name = "all-checkpoints")] string? allCheckpoints, [FromQuery] string? format) =>
        {
            var problems = new List<string>();
            var sweeps = QueryValues.Texts(sweep);
            if (sweeps.Length == 0) problems.Add("sweep is missing: give ?sweep=ID (repeatable: one line per sweep)");
            var all = QueryValues.Flag("all-checkpoints", allCheckpoints, problems);
            var table = TableFormats.Choose(request, format, problems);
            var selection = await SpectrumRequest.SelectAsync(settings.Client, sweeps, string.IsNullOrEmpty(metric) ? MetricNames.ComplexitySignificance : metric,
                QueryValues.Texts(layer), QueryValues.Texts(checkpoint), all, name => name, problems);
            if (problems.Count > 0) return ApiProblems.BadRequest(problems);
            if (table == TableFormat.Json) return Results.Json(selection.Curve, ApiJson.Options);
            // Spectra are a few rows per sweep, checkpoint and layer: written whole.
            var csv = new StringWriter { NewLine = "\n" };
            MetricCsv.WriteWithSweeps(csv, selection.Rows);
            return Results.Text(csv.ToString(), TableFormats.CsvType);
        }).WithTags("results")
            .WithSummary("Complexity spectra (default metric complexity.significance): one series per sweep, checkpoint and layer, at each sweep's last checkpoint " +
                         "unless checkpoint=C or all-checkpoints=true; JSON curve or CSV rows as `probegrid spectrum` writes them")
            .Produces<Curve>().Produces(200, contentType: "text/csv").ProducesProblem(400);
    }
}
