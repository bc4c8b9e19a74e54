using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ProbeGrid.Silo.Cluster;
using Serilog;
using Serilog.Events;

// probegrid-silo: one silo of a Redis-backed ProbeGrid cluster. Settings come from appsettings.json,
// environment variables (ProbeGrid__Silo__Redis=...) and the command line (--ProbeGrid:Silo:Redis=...).
var builder = Host.CreateApplicationBuilder(args);
Log.Logger = new LoggerConfiguration()
    .ReadFrom.Configuration(builder.Configuration)
    .MinimumLevel.Override("Orleans", LogEventLevel.Warning)
    .MinimumLevel.Override("Polly", LogEventLevel.Warning)
    .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
    .Enrich.FromLogContext()
    .WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}")
    .CreateLogger();
builder.Services.AddSerilog();

var settings = builder.Configuration.GetSection(ClusterSettings.Section).Get<ClusterSettings>() ?? new ClusterSettings();
var problems = settings.Validate();
if (problems.Count > 0)
{
    foreach (var problem in problems) Log.Error("Bad setting {Problem}", problem);
    return 2;
}

builder.UseOrleans(silo => silo.AddProbeGridCluster(settings));
try
{
    await builder.Build().RunAsync();
    return 0;
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
