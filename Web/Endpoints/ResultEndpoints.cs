using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using ProbeGrid.Client.Queries;
using ProbeGrid.GrainsInterfaces.Results;
using ProbeGrid.Web.Responses;

namespace ProbeGrid.Web.Endpoints;

/// <summary>
/// A sweep's numbers: its metric names, its values (long table), a metric's curves along layers or checkpoints, and the
/// checkpoint x layer heatmap. Curves take the checks and messages of `probegrid curves`; tables stream.
/// </summary>
public static class ResultEndpoints
{
    public static void Map(IEndpointRouteBuilder app, ApiSettings settings)
    {
        var client = settings.Client;
        var sweeps = app.MapGroup("/api/sweeps/{id}").WithTags("results");

        sweeps.MapGet("/metrics", async (string id) =>
        {
            if (await client.GetSpecAsync(id) is null) return ApiProblems.SweepNotFound(id);
            var values = await client.GetResultsAsync(id);
            var metrics = values.GroupBy(v => v.Metric).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => new MetricSummary(g.Key, Family(g.Key), g.Count(), g.Select(v => v.Checkpoint).Distinct().Count(), g.Select(v => v.Layer).Distinct().Count()));
            return Results.Json(metrics, ApiJson.Options);
        }).WithSummary("The metrics the sweep has values of so far, each with its family (the name's first part: probe, wdist, sid, complexity, ...) and counts")
            .Produces<MetricSummary[]>().ProducesProblem(404);

        sweeps.MapGet("/results", async (HttpRequest request, string id, [FromQuery] string? metric, [FromQuery] string[]? family,
            [FromQuery] string[]? layer, [FromQuery] string[]? checkpoint, [FromQuery] string? format) =>
        {
            var problems = new List<string>();
            var table = TableFormats.Choose(request, format, problems);
            if (problems.Count > 0) return ApiProblems.BadRequest(problems);
            if (await client.GetSpecAsync(id) is null) return ApiProblems.SweepNotFound(id);
            var (families, layers, checkpoints) = (QueryValues.Texts(family), QueryValues.Texts(layer), QueryValues.Texts(checkpoint));
            var values = (await client.GetResultsAsync(id, string.IsNullOrEmpty(metric) ? null : metric))
                .Where(v => (families.Length == 0 || families.Contains(Family(v.Metric)))
                            && (layers.Length == 0 || layers.Contains(v.Layer)) && (checkpoints.Length == 0 || checkpoints.Contains(v.Checkpoint)));
            return table == TableFormat.Csv ? StreamedTable.Csv(values) : StreamedTable.Json(values);
        }).WithSummary("Every value so far, one row per (checkpoint, layer, repeat, metric), optionally one metric, metric families, layers and checkpoints; JSON or CSV, streamed")
            .Produces<MetricValue[]>().Produces(200, contentType: "text/csv").ProducesProblem(404).ProducesProblem(400);

        sweeps.MapGet("/curves", async (HttpRequest request, string id, [FromQuery] string? metric, [FromQuery] string? along,
            [FromQuery] string[]? layer, [FromQuery] string[]? checkpoint, [FromQuery] string? format) =>
        {
            var problems = new List<string>();
            if (string.IsNullOrEmpty(metric)) problems.Add("metric is missing: give ?metric=NAME (GET /api/sweeps/{id}/metrics lists the sweep's)");
            var axis = CurveRequest.ParseAlong(along ?? "layer", name => name, problems);
            var table = TableFormats.Choose(request, format, problems);
            if (await client.GetSpecAsync(id) is null) return ApiProblems.SweepNotFound(id);
            if (problems.Count > 0) return ApiProblems.BadRequest(problems);

            var query = new CurveQuery(metric!, axis!.Value, [.. QueryValues.Texts(layer)], [.. QueryValues.Texts(checkpoint)]);
            var values = await CurveRequest.ValuesAsync(client, id, query, problems);
            if (problems.Count > 0) return ApiProblems.BadRequest(problems);
            if (table == TableFormat.Csv) return StreamedTable.Csv(values);
            var curve = CurveBuilder.Build(values, query.Metric, query.Along);
            // Serialized into the response as it is written (flushed in pieces), not into one string first.
            return Results.Stream(body => System.Text.Json.JsonSerializer.SerializeAsync(body, curve, ApiJson.Options), "application/json; charset=utf-8");
        }).WithSummary("A metric's curves: along=layer gives one series per checkpoint (the values vs depth: a frame of the video), along=checkpoint one per layer; " +
                       "mean, spread and count over repeats per point. CSV gives the values as `probegrid curves --format csv` prints them")
            .Produces<Curve>().Produces(200, contentType: "text/csv").ProducesProblem(404).ProducesProblem(400);

        sweeps.MapGet("/heatmap", async (string id, [FromQuery] string? metric) =>
        {
            var problems = new List<string>();
            if (string.IsNullOrEmpty(metric)) problems.Add("metric is missing: give ?metric=NAME (GET /api/sweeps/{id}/metrics lists the sweep's)");
            if (await client.GetSpecAsync(id) is null) return ApiProblems.SweepNotFound(id);
            if (problems.Count > 0) return ApiProblems.BadRequest(problems);
            var values = await CurveRequest.ValuesAsync(client, id, new CurveQuery(metric!, CurveAxis.Layer), problems);
            if (problems.Count > 0) return ApiProblems.BadRequest(problems);
            return Results.Json(Heatmap.Of(CurveBuilder.Build(values, metric!, CurveAxis.Layer)), ApiJson.Options);
        }).WithSummary("The checkpoint x layer matrix of a metric's means over repeats (null where a unit has no value yet)")
            .Produces<Heatmap>().ProducesProblem(404).ProducesProblem(400);
    }

    /// <summary>A metric's family: its name up to the first dot (probe.test_error: probe).</summary>
    public static string Family(string metric) => metric.Split('.', 2)[0];
}

/// <summary>One metric of a sweep: its family, how many values, over how many checkpoints and layers.</summary>
public sealed record MetricSummary(string Metric, string Family, int Values, int Checkpoints, int Layers);

/// <summary>A checkpoint x layer matrix: <c>Values[i][j]</c> is the mean at checkpoint i (training order) and layer j (depth order).</summary>
public sealed record Heatmap(string Metric, IReadOnlyList<string> Checkpoints, IReadOnlyList<long> Steps, IReadOnlyList<string> Layers,
    IReadOnlyList<int> LayerIndices, IReadOnlyList<double?[]> Values)
{
    public static Heatmap Of(Curve alongLayers)
    {
        var layers = alongLayers.Series.SelectMany(s => s.Points).Select(p => (Index: (int)p.X, Name: p.Label)).Distinct().OrderBy(l => l.Index).ToList();
        var column = layers.Select((l, j) => (l.Index, j)).ToDictionary(t => t.Index, t => t.j);
        var rows = alongLayers.Series.Select(s =>
        {
            var row = new double?[layers.Count];
            foreach (var p in s.Points) row[column[(int)p.X]] = p.Mean;
            return row;
        }).ToList();
        return new Heatmap(alongLayers.Metric, [.. alongLayers.Series.Select(s => s.Name)], [.. alongLayers.Series.Select(s => s.Order)],
            [.. layers.Select(l => l.Name)], [.. layers.Select(l => l.Index)], rows);
    }
}
