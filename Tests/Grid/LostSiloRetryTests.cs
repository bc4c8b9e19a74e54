using Microsoft.Extensions.Logging.Abstractions;
using ProbeGrid.Grains.Units;

namespace ProbeGrid.Tests.Grid;

/// <summary>A shard call lost with its silo is asked again (placement then picks a live silo); an error of the work is not.</summary>
public class LostSiloRetryTests
{
    [Fact]
    public async Task A_call_lost_with_its_silo_is_asked_again_until_it_answers()
    {
        var calls = 0;
        var answer = await LostSiloRetry.Ask(() =>
        {
            calls++;
            return calls < LostSiloRetry.Attempts ? throw new SiloUnavailableException("silo gone") : Task.FromResult(42);
        }, "shard#0", NullLogger.Instance);
        Assert.Equal(42, answer);
        Assert.Equal(LostSiloRetry.Attempts, calls);
    }

    [Fact]
    public async Task An_error_of_the_work_fails_at_once_and_a_silo_lost_every_time_fails_after_the_last_attempt()
    {
        var calls = 0;
        await Assert.ThrowsAsync<ArgumentException>(() => LostSiloRetry.Ask<int>(() => { calls++; throw new ArgumentException("bad samples"); }, "shard#0", NullLogger.Instance));
        Assert.Equal(1, calls);

        calls = 0;
        await Assert.ThrowsAsync<SiloUnavailableException>(() => LostSiloRetry.Ask<int>(() => { calls++; throw new SiloUnavailableException("silo gone"); }, "shard#0", NullLogger.Instance));
        Assert.Equal(LostSiloRetry.Attempts, calls);
    }
}
