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
        var configuration = new LoggerConfiguration()
            .MinimumLevel.Is(minimum)
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .MinimumLevel.Override("Orleans", LogEventLevel.Warning)
            // Orleans' placement retries log every attempt through Polly at Information.
            .MinimumLevel.Override("Polly", LogEventLevel.Warning)
            // The watchdog measures from its own start and warns spuriously on a silo that lives for seconds.
            .MinimumLevel.Override("Orleans.Runtime.Watchdog", LogEventLevel.Error)
            // A one-process grid on a small machine runs workstation GC on purpose; Orleans notes it at every start.
            .Filter.ByExcluding(e => e.MessageTemplate.Text.StartsWith("Note: ", StringComparison.Ordinal) && e.MessageTemplate.Text.Contains("ServerGC", StringComparison.Ordinal))
            .Enrich.FromLogContext()
            .WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}{Exception}",
                standardErrorFromLevel: LogEventLevel.Verbose);
        // A read-only state folder gets console logs only; the command itself then names the problem.
        if (CanWriteIn(logFolder))
            configuration.WriteTo.File(Path.Combine(logFolder, "probegrid-.log"), rollingInterval: RollingInterval.Day,
                retainedFileCountLimit: 14,
                outputTemplate: "{Timestamp:o} [{Level:u3}] {SourceContext} {Message:lj} {Properties:j}{NewLine}{Exception}");
        Log.Logger = configuration.CreateLogger();
        return new SerilogLoggerFactory(Log.Logger, dispose: true);
    }

    private static bool CanWriteIn(string folder)
    {
        try
        {
            Directory.CreateDirectory(folder);
            using var probe = new FileStream(Path.Combine(folder, $".write-check-{Environment.ProcessId}"), FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
            return true;
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            return false;
        }
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
