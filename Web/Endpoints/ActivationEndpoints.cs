using System.IO.Compression;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using ProbeGrid.Analysis.Checkpoints;
using ProbeGrid.Grains.Compute;
using ProbeGrid.Grains.Planning;
using ProbeGrid.GrainsInterfaces.Specs;
using ProbeGrid.GrainsInterfaces.Sweeps;
using ProbeGrid.Web.Responses;

namespace ProbeGrid.Web.Endpoints;

/// <summary>
/// One checkpoint's activations and labels as .npy files in a zip, as `probegrid activations export` writes them. Computed in
/// the `serve` process (through its activation cache) from the sweep's spec, with the data roots `serve` was given.
/// </summary>
public static class ActivationEndpoints
{
    public static void Map(IEndpointRouteBuilder app, ApiSettings settings)
    {
        app.MapGet("/api/sweeps/{id}/activations", async (HttpContext context, string id, [FromQuery] string? checkpoint, [FromQuery] string? repeat) =>
        {
            var problems = new List<string>();
            var repeatIndex = QueryValues.Integer("repeat", repeat, problems) ?? 0;
            if (await settings.Client.GetSpecAsync(id) is not { } spec) return ApiProblems.SweepNotFound(id);
            SweepPlan? plan = null;
            try
            {
                plan = new SweepPlanner(settings.DataRoots, settings.BaseDirectory).Plan(spec, id);
            }
            catch (SpecException e)
            {
                problems.AddRange(e.Problems.Select(p => $"the sweep's spec cannot be planned by `serve` (its data roots: {settings.DataRoots.Describe()}): {p}"));
            }
            if (plan is not null && repeatIndex >= plan.Spec.Repeats)
                problems.Add($"repeat '{repeatIndex}' is not in the sweep: it has repeats 0 to {plan.Spec.Repeats - 1}");
            var found = plan is null ? null : ActivationExportJob.Find(plan, string.IsNullOrEmpty(checkpoint) ? null : checkpoint, "checkpoint", problems);
            if (problems.Count > 0) return ApiProblems.BadRequest(problems);

            var folder = Path.Combine(Path.GetTempPath(), $"probegrid-activations-{Guid.NewGuid():N}");
            var zip = folder + ".zip";
            try
            {
                var ct = context.RequestAborted;
                // The forward pass is CPU work with a dispose scope of its own: off the request's thread.
                var outcome = await Task.Run(() => new ActivationExportJob(settings.CacheFolder).Run(plan!, found!, repeatIndex, folder, ct), ct);
                if (outcome.NotExported.Count > 0)
                    await File.WriteAllLinesAsync(Path.Combine(folder, "NOT-EXPORTED.txt"), outcome.NotExported, ct);
                ZipFile.CreateFromDirectory(folder, zip);
                var bytes = await File.ReadAllBytesAsync(zip, ct);
                return Results.File(bytes, "application/zip", $"{id}-{found!.Name}-repeat{repeatIndex}-activations.zip");
            }
            catch (CheckpointException e)
            {
                return ApiProblems.BadRequest([e.Message], "The checkpoint cannot be read");
            }
            finally
            {
                if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
                File.Delete(zip);
            }
        }).WithTags("activations")
            .WithSummary("A zip of train/, validation/ and test/ folders, each with one .npy per tapped layer and the labels, for one checkpoint (default the last) and repeat (default 0)")
            .Produces(200, contentType: "application/zip").ProducesProblem(400).ProducesProblem(404);
    }
}
