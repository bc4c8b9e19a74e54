using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Dashboard;
using ProbeGrid.Silo.Cluster;
using Serilog;
using Serilog.Events;

// probegrid-silo: one silo of a ProbeGrid cluster on Redis or Azure Storage (ProbeGrid__Silo__Storage=azure). Settings come from appsettings.json,
// environment variables (ProbeGrid__Silo__Redis=...) and the command line (--ProbeGrid:Silo:Redis=...).
var configuration = new ConfigurationBuilder()
    .AddJsonFile("appsettings.json", optional: true)
    .AddEnvironmentVariables()
    .AddCommandLine(args)
    .Build();
Log.Logger = new LoggerConfiguration()
    .ReadFrom.Configuration(configuration)
    .MinimumLevel.Override("Orleans", LogEventLevel.Warning)
    .MinimumLevel.Override("Polly", LogEventLevel.Warning)
    .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
    // Every failed handshake (a port probe, a scanner, a client without TLS) is a warning with a stack there; refused
    // certificates are logged by ProbeGrid.Silo.Tls with the peer and the reason, and clients are told why on their side.
    .MinimumLevel.Override("Orleans.Connections.Security", LogEventLevel.Error)
    .Enrich.FromLogContext()
    .WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}")
    .CreateLogger();

var settings = configuration.GetSection(ClusterSettings.Section).Get<ClusterSettings>() ?? new ClusterSettings();
var problems = settings.Validate().ToList();
var security = ClusterSecurity.Load(settings, problems);
problems.AddRange(settings.UsesAzure ? AzureStorageConnection.Problems(settings.Azure) : RedisConnection.Problems(settings));
if (problems.Count > 0)
{
    foreach (var problem in problems) Log.Error("Bad setting {Problem}", problem);
    await Log.CloseAndFlushAsync();
    return 2;
}

Log.Information("Security: {Security}", security.Describe(settings));
if (!security.IsOn && !settings.ListensOnLoopback)
    Log.Warning("Listening on {Address} without TLS (AllowInsecure): anyone who reaches ports {SiloPort} and {GatewayPort} can join this cluster and run sweeps over {DataRoots}",
        settings.ListenAddress, settings.SiloPort, settings.GatewayPort, string.Join(", ", settings.EffectiveDataRoots));

try
{
    // A web host only when the dashboard is on: otherwise nothing listens beyond the silo and gateway ports.
    if (settings.DashboardPort > 0)
    {
        var web = WebApplication.CreateBuilder(args);
        web.Services.AddSerilog();
        web.WebHost.UseUrls($"http://{settings.ListenAddress}:{settings.DashboardPort}");
        web.UseOrleans(silo => { silo.AddProbeGridCluster(settings).AddDashboard(); security.ApplyTo(silo); });
        var app = web.Build();
        app.MapOrleansDashboard();
        await app.RunAsync();
    }
    else
    {
        var host = Host.CreateApplicationBuilder(args);
        host.Services.AddSerilog();
        host.UseOrleans(silo => { silo.AddProbeGridCluster(settings); security.ApplyTo(silo); });
        await host.Build().RunAsync();
    }
    return 0;
}
catch (ClusterJoinException e)
{
    Log.Fatal("The silo cannot join its cluster: {Message}", e.Message);
    return 1;
}
catch (Exception e) when (!settings.UsesAzure && RedisConnection.Explain(e, settings) is { } why)
{
    Log.Fatal("The silo cannot use Redis: {Message}", why);
    return 1;
}
catch (Exception e) when (settings.UsesAzure && AzureStorageConnection.Explain(e, settings) is { } why)
{
    Log.Fatal("The silo cannot use Azure Storage: {Message}", why);
    return 1;
}
catch (Exception e)
{
    Log.Fatal(e, "The silo stopped: {Message}", e.Message);
    return 1;
}
finally
{
    await Log.CloseAndFlushAsync();
}
