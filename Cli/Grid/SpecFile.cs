using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using ProbeGrid.Grains.Planning;
using ProbeGrid.GrainsInterfaces.Specs;
using ProbeGrid.GrainsInterfaces.Sweeps;

namespace ProbeGrid.Cli.Grid;

/// <summary>A spec file as the commands that submit one read it: the spec, its sweep id, and how a refusal is reported.</summary>
public static class SpecFile
{
    /// <summary>
    /// Reads the spec, logging every problem when it cannot. <paramref name="laterChecks"/>, when given, are the
    /// checks a submitted spec meets next (the planner's: zoo, data roots, layers); they run on a spec that was read
    /// with problems too, so that its author sees every problem in one round, not one stage at a time.
    /// </summary>
    /// <param name="follow">
    /// --follow: the sweep follows its training run (the spec's own "follow" settings when it has them, else the defaults).
    /// A spec without a sweepId then gets an id of its own, so the same file run with and without --follow are two sweeps.
    /// </param>
    /// <param name="checkpoints">the checkpoint folder when the spec leaves model.checkpoints out (`train --analyse`).</param>
    public static bool TryRead(string path, ILogger logger, Func<SweepSpec, string, IReadOnlyList<string>>? laterChecks,
        [NotNullWhen(true)] out SweepSpec? spec, [NotNullWhen(true)] out string? sweepId, bool follow = false, string? checkpoints = null)
    {
        var problems = new List<string>();
        spec = SweepSpecReader.ReadFile(path, problems, checkpoints);
        var followAdded = follow && spec is { Follow: null };
        if (follow && spec is not null) spec = spec with { Follow = spec.Follow ?? FollowSpec.Default };
        sweepId = spec?.SweepId is { } id && SweepSpecReader.IsValidSweepId(id) ? id : File.Exists(path) ? DefaultSweepId(path, followAdded) : null;
        if (problems.Count == 0 && spec is not null && sweepId is not null) return true;
        if (spec is not null && sweepId is not null && laterChecks is not null)
            problems.AddRange(laterChecks(spec, sweepId).Except(problems));
        logger.LogError("{Message}", new SpecException(problems).Message);
        (spec, sweepId) = (null, null);
        return false;
    }

    /// <summary>The planner's problems with <paramref name="spec"/>, checked on this machine (the embedded grid's own).</summary>
    public static IReadOnlyList<string> PlanningProblems(SweepPlanner planner, SweepSpec spec, string sweepId)
    {
        try
        {
            planner.Plan(spec, sweepId);
            return [];
        }
        catch (SpecException e)
        {
            return e.Problems;
        }
    }

    /// <summary>A spec without a sweepId gets one from its file name and content (and --follow), so re-running it resumes.</summary>
    public static string DefaultSweepId(string specPath, bool followAdded = false)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(File.ReadAllText(specPath) + (followAdded ? "\n--follow" : "")));
        var stem = new string(Path.GetFileNameWithoutExtension(specPath).Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-').ToArray());
        return $"{stem}-{Convert.ToHexStringLower(hash)[..8]}";
    }

    public static void LogRejection(ILogger logger, string sweepId, SubmitResult submitted) =>
        logger.LogError("Sweep {SweepId} was not started; the spec has {Count} problem(s):{NewLine}{Problems}",
            sweepId, submitted.Problems.Length, Environment.NewLine, string.Join(Environment.NewLine, submitted.Problems.Select(p => "  - " + p)));
}
