using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using ProbeGrid.Grains.Planning;
using ProbeGrid.GrainsInterfaces.Specs;
using ProbeGrid.GrainsInterfaces.Sweeps;
using ProbeGrid.Web.Responses;

namespace ProbeGrid.Web.Endpoints;

/// <summary>
/// Sweeps: list, status, spec, failures and followed checkpoints (reads); submit, stop and cancel (writes, token needed).
/// The same answers and checks as `probegrid status`, `failures`, `submit`, `stop` and `cancel`.
/// </summary>
public static class SweepEndpoints
{
    public static void Map(IEndpointRouteBuilder app, ApiSettings settings)
    {
        var client = settings.Client;
        var sweeps = app.MapGroup("/api/sweeps").WithTags("sweeps");

        sweeps.MapGet("/", async () =>
        {
            var statuses = new List<SweepStatus>();
            foreach (var id in await client.ListSweepsAsync()) statuses.Add(await client.GetStatusAsync(id));
            return Results.Json(statuses, ApiJson.Options);
        }).WithSummary("Every sweep with its status").Produces<SweepStatus[]>();

        sweeps.MapGet("/{id}", async (string id) =>
            await client.GetStatusAsync(id) is { Phase: not SweepPhase.Unknown } status ? Results.Json(status, ApiJson.Options) : ApiProblems.SweepNotFound(id))
            .WithSummary("A sweep's status: units done, failed, running, rate, and how it follows its training run").Produces<SweepStatus>().ProducesProblem(404);

        sweeps.MapGet("/{id}/spec", async (string id) =>
            await client.GetSpecAsync(id) is { } spec ? Results.Json(spec, ApiJson.Options) : ApiProblems.SweepNotFound(id))
            .WithSummary("The spec the sweep runs (paths made absolute when it was submitted)").Produces<SweepSpec>().ProducesProblem(404);

        sweeps.MapGet("/{id}/failures", async (HttpRequest request, string id, [FromQuery] string? format) =>
        {
            var problems = new List<string>();
            var table = TableFormats.Choose(request, format, problems);
            if (problems.Count > 0) return ApiProblems.BadRequest(problems);
            if ((await client.GetStatusAsync(id)).Phase == SweepPhase.Unknown) return ApiProblems.SweepNotFound(id);
            var failures = await client.GetFailuresAsync(id);
            return table == TableFormat.Json ? Results.Json(failures, ApiJson.Options) : Results.Text(FailureCsv(failures), TableFormats.CsvType);
        }).WithSummary("The sweep's failed units with their causes (JSON or CSV)").Produces<UnitFailure[]>().ProducesProblem(404);

        sweeps.MapGet("/{id}/checkpoints", async (string id) =>
        {
            var status = await client.GetStatusAsync(id);
            if (status.Phase == SweepPhase.Unknown) return ApiProblems.SweepNotFound(id);
            return Results.Json(new { newestAnalysed = await client.GetNewestAnalysedAsync(id), followed = await client.GetFollowedAsync(id) }, ApiJson.Options);
        }).WithSummary("The newest analysed checkpoint with its headline metrics, and (for a sweep that follows a training run) every checkpoint it took in and its fate")
            .ProducesProblem(404);

        sweeps.MapPost("/", async (HttpRequest request, [FromQuery] string? id, [FromQuery] string? follow) =>
        {
            var problems = new List<string>();
            var following = QueryValues.Flag("follow", follow, problems);
            string json;
            using (var reader = new StreamReader(request.Body, Encoding.UTF8)) json = await reader.ReadToEndAsync();
            if (id is not null && !SweepSpecReader.IsValidSweepId(id))
                problems.Add($"id {SpecText.Quote(id)} is not a sweep id: start with a letter or digit, then letters, digits, '.', '_' or '-' (at most {SweepSpecReader.MaxSweepIdLength} characters)");
            var spec = SweepSpecReader.Read(json, "the request body", problems);
            if (spec is not null && following) spec = spec with { Follow = spec.Follow ?? FollowSpec.Default };
            var sweepId = id ?? spec?.SweepId ?? DefaultSweepId(json, following);
            if (spec is not null && problems.Count > 0) problems.AddRange(PlanningProblems(settings, spec, sweepId).Except(problems));
            if (problems.Count > 0) return ApiProblems.BadRequest(problems, "The spec was not read: fix every problem listed and submit it again");

            var submitted = await client.SubmitAsync(spec!, sweepId, settings.BaseDirectory);
            if (!submitted.Accepted)
                return ApiProblems.BadRequest(submitted.Problems, $"Sweep {sweepId} was not started: the spec has {submitted.Problems.Length} problem(s)");
            return Results.Accepted($"/api/sweeps/{sweepId}", submitted.Status);
        }).WithSummary("Submit a sweep: the spec's JSON in the body (relative paths resolve against the folder `serve` was started in); the same spec again resumes it. Needs the token.")
            .Produces<SweepStatus>(202).ProducesProblem(400).ProducesProblem(401);

        sweeps.MapPost("/{id}/stop", async (string id) =>
            await client.StopAsync(id) is { Phase: not SweepPhase.Unknown } status ? Results.Json(status, ApiJson.Options) : ApiProblems.SweepNotFound(id))
            .WithSummary("A sweep that follows a training run stops looking for checkpoints; what is planned finishes. A no-op for other sweeps. Needs the token.")
            .Produces<SweepStatus>().ProducesProblem(404).ProducesProblem(401);

        sweeps.MapPost("/{id}/cancel", async (string id) =>
            await client.CancelAsync(id) is { Phase: not SweepPhase.Unknown } status ? Results.Json(status, ApiJson.Options) : ApiProblems.SweepNotFound(id))
            .WithSummary("Stop dispatching the sweep's units; finished units keep their results, and submitting the spec again resumes it. Needs the token.")
            .Produces<SweepStatus>().ProducesProblem(404).ProducesProblem(401);
    }

    /// <summary>A body without a sweepId (and no ?id=) gets one from its content, so submitting it again resumes it.</summary>
    public static string DefaultSweepId(string json, bool followAdded) =>
        "web-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json + (followAdded ? "\n--follow" : ""))))[..8];

    /// <summary>
    /// The planner's problems with a spec that already has reading problems, checked here, so its author sees every problem in one
    /// round (as `probegrid run` does); a readable spec is checked by the grid itself on submit.
    /// </summary>
    private static IReadOnlyList<string> PlanningProblems(ApiSettings settings, SweepSpec spec, string sweepId)
    {
        try
        {
            new SweepPlanner(settings.DataRoots, settings.BaseDirectory).Plan(spec, sweepId);
            return [];
        }
        catch (SpecException e)
        {
            return e.Problems;
        }
    }

    private static string FailureCsv(IEnumerable<UnitFailure> failures)
    {
        var text = new StringBuilder("checkpoint,layer,analysis,repeat,attempts,silo,cause\n");
        foreach (var f in failures)
            text.Append(string.Join(',', Client.Export.MetricCsv.Quote(f.Key.Checkpoint), Client.Export.MetricCsv.Quote(f.Key.Layer), Client.Export.MetricCsv.Quote(f.Key.Analysis),
                f.Key.Repeat, f.Attempts, Client.Export.MetricCsv.Quote(f.Silo), Client.Export.MetricCsv.Quote(f.Cause))).Append('\n');
        return text.ToString();
    }
}
