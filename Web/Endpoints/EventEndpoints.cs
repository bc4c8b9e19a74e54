using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using ProbeGrid.GrainsInterfaces.Sweeps;
using ProbeGrid.Web.Responses;

namespace ProbeGrid.Web.Endpoints;

/// <summary>
/// Server-sent events (text/event-stream), so pages and notebooks see progress without polling hard: a sweep's
/// <c>status</c> when it changes, a <c>checkpoint</c> event (its headline metrics) each time a checkpoint becomes the
/// newest analysed, and <c>end</c> when it finishes; the grid's sweeps' statuses on /api/events. A comment line is sent
/// when nothing else was for <see cref="ApiSettings.Heartbeat"/>.
/// </summary>
public static class EventEndpoints
{
    public static void Map(IEndpointRouteBuilder app, ApiSettings settings)
    {
        var client = settings.Client;

        app.MapGet("/api/sweeps/{id}/events", async (HttpContext context, string id) =>
        {
            var status = await client.GetStatusAsync(id);
            if (status.Phase == SweepPhase.Unknown) return ApiProblems.SweepNotFound(id);
            return Results.Stream(async body =>
            {
                var events = new EventWriter(body, settings.Heartbeat);
                var ct = context.RequestAborted;
                (SweepStatus? Sent, string? Checkpoint) last = (null, null);
                while (!ct.IsCancellationRequested)
                {
                    if (!status.Equals(last.Sent))
                    {
                        await events.Send("status", status, ct);
                        // A checkpoint is newly analysed only when units finished, or a following sweep says so.
                        if (status.Done > 0 && (last.Sent is null || last.Sent.Done != status.Done || status.Follow?.NewestAnalysed != last.Sent.Follow?.NewestAnalysed)
                            && await client.GetNewestAnalysedAsync(id) is { } newest && newest.Checkpoint.Name != last.Checkpoint)
                        {
                            await events.Send("checkpoint", newest, ct);
                            last.Checkpoint = newest.Checkpoint.Name;
                        }
                        last.Sent = status;
                    }
                    if (status.IsFinished)
                    {
                        await events.Send("end", status, ct);
                        return;
                    }
                    await events.Wait(settings.EventInterval, ct);
                    status = await client.GetStatusAsync(id);
                }
            }, EventWriter.ContentType);
        }).WithTags("events")
            .WithSummary("Server-sent events of one sweep: 'status' (SweepStatus) on each change, 'checkpoint' (the newest analysed checkpoint with its headline metrics) " +
                         "as each lands, 'end' when it finishes; ': heartbeat' comments while nothing happens")
            .Produces(200, contentType: EventWriter.ContentType).ProducesProblem(404);

        app.MapGet("/api/events", (HttpContext context) => Results.Stream(async body =>
        {
            var events = new EventWriter(body, settings.Heartbeat);
            var ct = context.RequestAborted;
            var sent = new Dictionary<string, SweepStatus>();
            while (!ct.IsCancellationRequested)
            {
                foreach (var id in await client.ListSweepsAsync())
                {
                    var status = await client.GetStatusAsync(id);
                    if (sent.TryGetValue(id, out var before) && before.Equals(status)) continue;
                    await events.Send("status", status, ct);
                    sent[id] = status;
                }
                await events.Wait(settings.EventInterval, ct);
            }
        }, EventWriter.ContentType)).WithTags("events")
            .WithSummary("Server-sent events of every sweep: a 'status' event for each sweep when it appears and whenever its status changes; ': heartbeat' comments while nothing does")
            .Produces(200, contentType: EventWriter.ContentType);
    }

    /// <summary>Writes events and heartbeats, each flushed at once so it reaches the client while the stream stays open.</summary>
    private sealed class EventWriter(Stream body, TimeSpan heartbeat)
    {
        public const string ContentType = "text/event-stream";

        private DateTime lastWrite = DateTime.UtcNow;
        private long next;

        public async Task Send<T>(string name, T data, CancellationToken ct) =>
            await Write($"id: {++next}\nevent: {name}\ndata: {JsonSerializer.Serialize(data, ApiJson.Options)}\n\n", ct);

        /// <summary>Waits <paramref name="interval"/>, sending a heartbeat comment when the stream has been silent that long.</summary>
        public async Task Wait(TimeSpan interval, CancellationToken ct)
        {
            try
            {
                await Task.Delay(interval, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            if (DateTime.UtcNow - lastWrite >= heartbeat) await Write($": heartbeat {DateTime.UtcNow:O}\n\n", ct);
        }

        private async Task Write(string text, CancellationToken ct)
        {
            await body.WriteAsync(System.Text.Encoding.UTF8.GetBytes(text), ct);
            await body.FlushAsync(ct);
            lastWrite = DateTime.UtcNow;
        }
    }
}
