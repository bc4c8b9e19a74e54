using System.CommandLine;
using Microsoft.Extensions.Logging;
using ProbeGrid.Cli.Grid;
using ProbeGrid.Web;
using ProbeGrid.Web.Access;
using ProbeGrid.Web.Hosting;
using Serilog;

namespace ProbeGrid.Cli.Commands;

/// <summary>
/// <c>probegrid serve [--port N] [--address A] [--https-cert FILE [--https-key FILE]] [--allow-insecure] [--static DIR]</c>: the web API and
/// the dashboard over the embedded grid (this state folder) or a cluster (--cluster), until Ctrl-C. Loopback by default; another
/// address needs HTTPS or --allow-insecure. Prints the bearer token writes need (kept in the state folder's api-token).
/// </summary>
public static class ServeCommand
{
    private static readonly Option<int> Port = new("--port") { Description = $"port to listen on (default {ListenSettings.DefaultPort}; 0: any free port)", DefaultValueFactory = _ => ListenSettings.DefaultPort };
    private static readonly Option<string> Address = new("--address") { Description = $"address to listen on (default {ListenSettings.DefaultAddress}, loopback); another needs --https-cert or --allow-insecure", DefaultValueFactory = _ => ListenSettings.DefaultAddress };
    private static readonly Option<string?> HttpsCertificate = new("--https-cert") { Description = "certificate to serve HTTPS with: PEM (with --https-key, or holding its key) or PKCS#12" };
    private static readonly Option<string?> HttpsKey = new("--https-key") { Description = "the PEM private key of --https-cert" };
    private static readonly Option<bool> AllowInsecure = new("--allow-insecure") { Description = "serve plain HTTP on a non-loopback address (a network you trust): every request still needs the token" };
    private static readonly Option<string?> Static = new("--static") { Description = "folder of the dashboard's built files (default: wwwroot beside probegrid)" };

    public static Command Build()
    {
        var command = new Command("serve", "Serve the web API (and the dashboard) over this state folder's grid or a cluster, until Ctrl-C");
        foreach (var option in new Option[] { Port, Address, HttpsCertificate, HttpsKey, AllowInsecure, Static }) command.Options.Add(option);
        command.SetAction((result, ct) => GridCommand.RunAsync(result, "serve", ct, async (session, logger) =>
        {
            var listen = new ListenSettings(result.GetValue(Address)!, result.GetValue(Port), result.GetValue(HttpsCertificate), result.GetValue(HttpsKey), result.GetValue(AllowInsecure));
            var problems = new List<string>();
            var certificate = listen.Check(problems);
            if (problems.Count > 0)
            {
                foreach (var p in problems) logger.LogError("{Problem}", p);
                return ExitCodes.BadInput;
            }

            var state = GlobalOptions.StateFolder(result);
            var token = ApiToken.LoadOrCreate(state, out var created);
            var settings = new ApiSettings(session.Client, state, GlobalOptions.DataRoots(result), Directory.GetCurrentDirectory(), token, listen.IsLoopback);
            if (result.GetValue(Static) is { } folder) settings = settings with { StaticRoot = Path.GetFullPath(folder) };
            await using var app = ApiHost.Create(settings, builder =>
            {
                ApiHost.ListenOn(builder, listen, certificate);
                builder.Logging.ClearProviders().AddSerilog(Log.Logger);
            });
            await app.StartAsync(ct);
            var urls = string.Join(", ", app.Urls);
            logger.LogInformation("Serving the ProbeGrid API on {Urls} over {Grid}; OpenAPI at /openapi/v1.json; Ctrl-C stops", urls,
                session.IsEmbedded ? $"the embedded grid in {state}" : "the cluster");
            if (!Web.Endpoints.DashboardFiles.IsBuilt(settings.StaticRoot))
                logger.LogWarning("The dashboard is not built ({Folder} holds no files): / says how to build it; the API works without it", settings.StaticRoot);
            if (!listen.IsLoopback && certificate is null)
                logger.LogWarning("Serving plain HTTP on {Address} (--allow-insecure): the token crosses the network in clear", listen.Address);
            Console.Out.WriteLine($"url: {app.Urls.First()}");
            Console.Out.WriteLine($"token: {token}");
            logger.LogInformation("{Made} the API token in {TokenFile} (owner-only): requests that change state{Everything} need 'Authorization: Bearer <token>'",
                created ? "Made" : "Using", settings.TokenFile, listen.IsLoopback ? "" : ", and here every request,");
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                // Ctrl-C: stop serving, then the grid session closes.
            }
            await app.StopAsync(CancellationToken.None);
            return ExitCodes.Success;
        }));
        return command;
    }
}
