using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Events;
using Serilog.Extensions.Logging;

namespace ProbeGrid.Cli.Logging;

/// <summary>
/// Structured logging for the command: console plus a daily rolling file. The level comes from
/// --log-level or PROBEGRID_LOG_LEVEL (verbose, debug, information, warning, error).
/// </summary>
public static class LogSetup
{
    public const string LevelVariable = "PROBEGRID_LOG_LEVEL";

    public static ILoggerFactory Create(string? level, string logFolder)
    {
        var minimum = ParseLevel(level ?? Environment.GetEnvironmentVariable(LevelVariable) ?? "information");
        Directory.CreateDirectory(logFolder);
        Log.Logger = new LoggerConfiguration()
            .MinimumLevel.Is(minimum)
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .MinimumLevel.Override("Orleans", LogEventLevel.Warning)
            .Enrich.FromLogContext()
            .WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}{Exception}",
                standardErrorFromLevel: LogEventLevel.Verbose)
            .WriteTo.File(Path.Combine(logFolder, "probegrid-.log"), rollingInterval: RollingInterval.Day,
                retainedFileCountLimit: 14,
                outputTemplate: "{Timestamp:o} [{Level:u3}] {SourceContext} {Message:lj} {Properties:j}{NewLine}{Exception}")
            .CreateLogger();
        return new SerilogLoggerFactory(Log.Logger, dispose: true);
    }

    public static LogEventLevel ParseLevel(string level) => level.ToLowerInvariant() switch
    {
        "verbose" or "trace" => LogEventLevel.Verbose,
        "debug" => LogEventLevel.Debug,
        "information" or "info" => LogEventLevel.Information,
        "warning" or "warn" => LogEventLevel.Warning,
        "error" => LogEventLevel.Error,
        _ => throw new ArgumentException($"log level '{level}' is not one of verbose, debug, information, warning, error"),
    };
}
