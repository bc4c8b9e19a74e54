using Microsoft.Extensions.Logging;

namespace ProbeGrid.Grains.Units;

/// <summary>
/// Asks a stateless shard grain again when its silo was lost mid-call: placement then puts it on a live
/// silo. Only failures of the grid are retried; an error of the work itself fails at once.
/// </summary>
public static class LostSiloRetry
{
    public const int Attempts = 3;

    public static async Task<T> Ask<T>(Func<Task<T>> call, string shard, ILogger logger)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (Exception e) when (attempt < Attempts && IsLostSilo(e))
            {
                logger.LogWarning("Shard {Shard} was lost ({Cause}); asking again (attempt {Attempt} of {Attempts})", shard, e.Message, attempt + 1, Attempts);
            }
        }
    }

    /// <summary>Failures of the grid rather than of the work: the same call may succeed on another silo.</summary>
    public static bool IsLostSilo(Exception e) =>
        e is SiloUnavailableException or OrleansMessageRejectionException or Orleans.Runtime.Messaging.ConnectionFailedException or TimeoutException
            or Compute.SiloStoppingException;
}
