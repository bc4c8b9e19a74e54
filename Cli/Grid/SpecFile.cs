using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using ProbeGrid.GrainsInterfaces.Specs;
using ProbeGrid.GrainsInterfaces.Sweeps;

namespace ProbeGrid.Cli.Grid;

/// <summary>A spec file as the commands that submit one read it: the spec, its sweep id, and how a refusal is reported.</summary>
public static class SpecFile
{
    /// <summary>Reads the spec, logging every problem when it cannot.</summary>
    public static bool TryRead(string path, ILogger logger, [NotNullWhen(true)] out SweepSpec? spec, [NotNullWhen(true)] out string? sweepId)
    {
        try
        {
            spec = SweepSpecReader.ReadFile(path);
            sweepId = spec.SweepId ?? DefaultSweepId(path);
            return true;
        }
        catch (SpecException e)
        {
            logger.LogError("{Message}", e.Message);
            spec = null;
            sweepId = null;
            return false;
        }
    }

    /// <summary>A spec without a sweepId gets one from its file name and content, so re-running it resumes.</summary>
    public static string DefaultSweepId(string specPath)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(File.ReadAllText(specPath)));
        var stem = new string(Path.GetFileNameWithoutExtension(specPath).Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-').ToArray());
        return $"{stem}-{Convert.ToHexStringLower(hash)[..8]}";
    }

    public static void LogRejection(ILogger logger, string sweepId, SubmitResult submitted) =>
        logger.LogError("Sweep {SweepId} was not started; the spec has {Count} problem(s):{NewLine}{Problems}",
            sweepId, submitted.Problems.Length, Environment.NewLine, string.Join(Environment.NewLine, submitted.Problems.Select(p => "  - " + p)));
}
