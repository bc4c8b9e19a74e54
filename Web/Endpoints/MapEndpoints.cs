using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using ProbeGrid.Client.Export;
using ProbeGrid.Client.Queries;
using ProbeGrid.GrainsInterfaces.Results;
using ProbeGrid.Web.Responses;

namespace ProbeGrid.Web.Endpoints;

/// <summary>
/// Per-pixel SID and RU maps of a discarding sweep, with the checks of `probegrid maps`: the maps as JSON (the inputs
/// beside them), or one figure as PNG (the input beside the map at every layer, as the paper's Fig. 1).
/// </summary>
public static class MapEndpoints
{
    public static void Map(IEndpointRouteBuilder app, ApiSettings settings)
    {
        var client = settings.Client;
        var maps = app.MapGroup("/api/sweeps/{id}/maps").WithTags("maps");

        maps.MapGet("/", async (string id, [FromQuery] string[]? checkpoint, [FromQuery] string[]? layer, [FromQuery] string[]? sample, [FromQuery] string[]? kind) =>
        {
            var problems = new List<string>();
            var selected = await SelectAsync(settings, id, checkpoint, layer, sample, kind, problems);
            if (selected is null) return ApiProblems.SweepNotFound(id);
            return problems.Count > 0 ? ApiProblems.BadRequest(problems) : StreamedTable.Json(selected);
        }).WithSummary("The maps (kind input, sid or ru; values row-major over height x width) of the finished discarding units, filtered by checkpoint, layer, sample and kind")
            .Produces<PixelMap[]>().ProducesProblem(400).ProducesProblem(404);

        maps.MapGet("/figure.png", async (string id, [FromQuery] string? checkpoint, [FromQuery] string? sample, [FromQuery] string? kind,
            [FromQuery] string? repeat, [FromQuery(Name = "shared-scale")] string? sharedScale) =>
        {
            var problems = new List<string>();
            var shared = QueryValues.Flag("shared-scale", sharedScale, problems);
            var repeatIndex = QueryValues.Integer("repeat", repeat, problems);
            if (string.IsNullOrEmpty(checkpoint)) problems.Add("checkpoint is missing: a figure shows one checkpoint (GET /api/sweeps/{id}/maps lists the maps)");
            if (string.IsNullOrEmpty(sample)) problems.Add("sample is missing: a figure shows one test sample");
            var selected = await SelectAsync(settings, id, checkpoint is { Length: > 0 } ? [checkpoint] : null, null,
                sample is { Length: > 0 } ? [sample] : null, [kind is { Length: > 0 } ? kind : PixelMap.SidKind], problems);
            if (selected is null) return ApiProblems.SweepNotFound(id);
            var repeats = selected.Select(m => m.Repeat).Distinct().Order().ToList();
            if (problems.Count == 0 && repeatIndex is { } r && !repeats.Contains(r))
                problems.Add($"repeat '{r}': sweep '{id}' has no maps there; it has maps for repeats {string.Join(", ", repeats)}");
            if (problems.Count > 0) return ApiProblems.BadRequest(problems);

            var chosen = repeatIndex ?? repeats[0];
            var figure = selected.Where(m => m.Repeat == chosen).ToList();
            var input = figure.Where(m => m.Kind == PixelMap.InputKind).MinBy(m => m.LayerIndex);
            var layers = figure.Where(m => m.Kind != PixelMap.InputKind).OrderBy(m => m.LayerIndex).ToList();
            var first = layers[0];
            var image = input is not null ? (IReadOnlyList<float>)input.Values : Enumerable.Repeat(float.NaN, first.Height * first.Width).ToArray();
            var title = $"{first.Kind.ToUpperInvariant()}, checkpoint {first.Checkpoint}{(repeats.Count > 1 ? $", repeat {chosen}" : "")}, sample {first.Sample}"
                        + (first.Label >= 0 ? $" (class {first.Label})" : "");
            // ScottPlot writes PNGs to files: drawn into a temporary file, read back, and the file removed.
            var path = Path.Combine(Path.GetTempPath(), $"probegrid-map-{Guid.NewGuid():N}.png");
            try
            {
                PixelMapPlotter.Save(path, image, first.Height, first.Width, layers.Select(m => (m.Layer, m.Values.ToArray())).ToArray(), title, shared);
                return Results.Bytes(await File.ReadAllBytesAsync(path), "image/png");
            }
            finally
            {
                File.Delete(path);
            }
        }).WithSummary("One figure as PNG: the input beside the chosen kind's map (default sid) at every layer, for one checkpoint, sample and repeat (default the first)")
            .Produces(200, contentType: "image/png").ProducesProblem(400).ProducesProblem(404);
    }

    /// <summary>The maps asked for (problems added for bad filters), or null for an unknown sweep.</summary>
    private static async Task<IReadOnlyList<PixelMap>?> SelectAsync(ApiSettings settings, string id, string[]? checkpoints, string[]? layers,
        string[]? samples, string[]? kinds, List<string> problems)
    {
        var sampleIndices = QueryValues.Integers("sample", QueryValues.Texts(samples), problems);
        var kindNames = QueryValues.Texts(kinds);
        foreach (var k in kindNames.Where(k => !MapSelection.MapKinds.Contains(k))) problems.Add($"kind '{k}' must be sid or ru");
        if (await settings.Client.GetSpecAsync(id) is null) return null;
        if (problems.Count > 0) return [];
        return MapSelection.Select(id, await settings.Client.GetMapsAsync(id), QueryValues.Texts(checkpoints), QueryValues.Texts(layers),
            sampleIndices, kindNames, problems, name => name);
    }
}
