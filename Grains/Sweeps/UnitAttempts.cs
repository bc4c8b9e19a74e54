using Microsoft.Extensions.Logging;
using ProbeGrid.Grains.Units;
using ProbeGrid.GrainsInterfaces.Sweeps;

namespace ProbeGrid.Grains.Sweeps;

/// <summary>
/// How the sweep calls one unit until it has an outcome. A call lost with its silo (killed, stopping, or a stale
/// address after a cluster restart) is not the unit's fault: it waits for the membership to move on and tries
/// again without using up one of the <see cref="SweepOptions.MaxAttempts"/>, for up to
/// <see cref="SweepOptions.LostSiloPatience"/>. Other failures of the call are tried again with doubling pauses.
/// </summary>
internal sealed class UnitAttempts(SweepOptions options, IClusterMembershipService membership, ILogger logger, Func<bool> stopping)
{
    /// <param name="inFlight">told +1 when a call starts and -1 when it ends (the sweep's count of running units).</param>
    /// <returns>the outcome and the attempts used (a "gave up" failure after the last); null when the silo stopped first.</returns>
    public async Task<(UnitOutcome Outcome, int Attempts)?> Run(string sweepId, UnitKey key, Func<Task<UnitOutcome>> call, Action<int> inFlight)
    {
        var patience = DateTime.UtcNow + options.LostSiloPatience;
        Exception? last = null;
        for (var attempt = 1; attempt <= options.MaxAttempts && !stopping();)
        {
            var membershipVersion = membership.CurrentSnapshot.Version;
            inFlight(+1);
            try
            {
                return (await call(), attempt);
            }
            catch (Exception e) when (LostSiloRetry.IsLostSilo(e) && DateTime.UtcNow < patience)
            {
                if (stopping()) return null;
                logger.LogInformation("Sweep {SweepId} unit {Unit}: its silo was lost ({Reason}); waiting for the membership, then trying again (attempt {Attempt} not used up)",
                    sweepId, key, e.Message, attempt);
                await MembershipMovedOn(membershipVersion, options.RetryDelay * 8);
            }
            catch (Exception e)
            {
                // The unit's own errors come back as outcomes; an exception here means its silo or the network failed.
                if (stopping()) return null;
                last = e;
                logger.LogWarning("Sweep {SweepId} unit {Unit}: attempt {Attempt} of {Max} failed ({Reason}); retrying elsewhere",
                    sweepId, key, attempt, options.MaxAttempts, e.Message);
                if (attempt < options.MaxAttempts) await Task.Delay(options.RetryDelay * Math.Pow(2, attempt - 1));
                attempt++;
            }
            finally
            {
                inFlight(-1);
            }
        }
        if (stopping()) return null;
        return (new UnitOutcome(key, [], $"gave up after {options.MaxAttempts} attempts; last: {last?.GetType().Name}: {last?.Message}", "", 0), options.MaxAttempts);
    }

    /// <summary>Waits until the membership changes (a silo declared dead, or one joined) since <paramref name="version"/>, or <paramref name="atMost"/>.</summary>
    private async Task MembershipMovedOn(MembershipVersion version, TimeSpan atMost)
    {
        var deadline = DateTime.UtcNow + atMost;
        while (membership.CurrentSnapshot.Version == version && DateTime.UtcNow < deadline && !stopping())
            await Task.Delay(TimeSpan.FromMilliseconds(250));
    }
}
