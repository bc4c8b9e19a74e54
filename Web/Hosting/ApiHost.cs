using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ProbeGrid.Web.Access;
using ProbeGrid.Web.Endpoints;
using ProbeGrid.Web.Responses;

namespace ProbeGrid.Web.Hosting;

/// <summary>
/// The web host: the API's endpoints (one group a file under Endpoints/), the token rule, problem details for errors,
/// the OpenAPI document (/openapi/v1.json) and the dashboard's static files, over a grid client the caller opened.
/// </summary>
public static class ApiHost
{
    /// <param name="configure">adds to the builder before it is built: where to listen (<see cref="ListenOn"/>), a test server, logging.</param>
    public static WebApplication Create(ApiSettings settings, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Services.AddSingleton(settings);
        builder.Services.AddProblemDetails();
        builder.Services.Configure<JsonOptions>(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = ApiJson.Options.PropertyNamingPolicy;
            o.SerializerOptions.NumberHandling = ApiJson.Options.NumberHandling;
            foreach (var converter in ApiJson.Options.Converters) o.SerializerOptions.Converters.Add(converter);
        });
        builder.Services.AddOpenApi(o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "ProbeGrid web API";
            document.Info.Description = "Sweeps, their curves, spectra, maps and activations; submit, stop, cancel; server-sent events. " +
                                        "Writes need 'Authorization: Bearer TOKEN' (the token is in the state folder's api-token); off loopback, everything does.";
            return Task.CompletedTask;
        }));
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseMiddleware<GridErrors>();
        app.UseMiddleware<TokenRule>();
        DashboardFiles.Use(app, settings);
        app.MapOpenApi();
        SweepEndpoints.Map(app, settings);
        ResultEndpoints.Map(app, settings);
        SpectrumEndpoints.Map(app, settings);
        MapEndpoints.Map(app, settings);
        ActivationEndpoints.Map(app, settings);
        EventEndpoints.Map(app, settings);
        app.Map("/api/{**rest}", (HttpContext context) => Results.Problem(title: "No such endpoint", statusCode: StatusCodes.Status404NotFound,
            detail: $"{context.Request.Method} {context.Request.Path} is not an endpoint of this API: /openapi/v1.json lists them (docs/web.md describes them)"))
            .ExcludeFromDescription();
        return app;
    }

    /// <summary>Kestrel on <paramref name="listen"/>'s address and port, over HTTPS when <paramref name="certificate"/> is given.</summary>
    public static void ListenOn(WebApplicationBuilder builder, ListenSettings listen, X509Certificate2? certificate)
    {
        builder.WebHost.UseKestrel(kestrel =>
        {
            void Https(Microsoft.AspNetCore.Server.Kestrel.Core.ListenOptions o)
            {
                if (certificate is not null) o.UseHttps(certificate);
            }
            if (listen.Address == "localhost") kestrel.ListenLocalhost(listen.Port, Https);
            else kestrel.Listen(IPAddress.Parse(listen.Address), listen.Port, Https);
        });
    }

    /// <summary>An exception from the grid becomes 503 problem details (the grid could not answer) instead of a bare 500.</summary>
    private sealed class GridErrors(RequestDelegate next, ILogger<GridErrors> logger)
    {
        public async Task InvokeAsync(HttpContext context)
        {
            try
            {
                await next(context);
            }
            catch (Exception e) when (e is OrleansException or TimeoutException && !context.Response.HasStarted)
            {
                logger.LogError(e, "The grid could not answer {Method} {Path}", context.Request.Method, context.Request.Path);
                await ApiProblems.Write(context, StatusCodes.Status503ServiceUnavailable, "The grid could not answer",
                    $"{e.Message}. Try again; if it persists, check that the grid `serve` was started on is running (`probegrid status`).");
            }
        }
    }
}
