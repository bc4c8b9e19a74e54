using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ProbeGrid.Grains.Compute;
using ProbeGrid.Silo.Compute;
using TorchSharp;

namespace ProbeGrid.Tests.Compute;

public sealed class ComputeExecutorTests
{
    private static ComputeExecutor Executor(int slots, long budget) =>
        new(Options.Create(new ComputeOptions { Device = "cpu", Slots = slots, MemoryBudgetBytes = budget }), NullLogger<ComputeExecutor>.Instance);

    [Fact]
    public async Task Jobs_run_off_the_calling_thread_and_never_more_at_once_than_slots()
    {
        using var executor = Executor(slots: 2, budget: 1L << 30);
        var running = 0;
        var peak = 0;
        var threads = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => executor.Run(new ComputeRequest("sleep", 1), _ =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref peak, now);
            Thread.Sleep(50);
            Interlocked.Decrement(ref running);
            return Thread.CurrentThread.Name;
        })));

        Assert.Equal(2, peak);
        Assert.All(threads, name => Assert.StartsWith("probegrid-compute-", name));
        Assert.Equal(8, executor.Usage.Completed);
    }

    [Fact]
    public async Task Jobs_that_together_exceed_the_budget_run_one_after_the_other()
    {
        using var executor = Executor(slots: 2, budget: 100);
        var running = 0;
        var peak = 0;
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => executor.Run(new ComputeRequest("big", 60), _ =>
        {
            InterlockedMax(ref peak, Interlocked.Increment(ref running));
            Thread.Sleep(50);
            Interlocked.Decrement(ref running);
            return 0;
        })));
        Assert.Equal(1, peak);
    }

    [Fact]
    public async Task A_job_larger_than_the_whole_budget_fails_at_once_naming_the_fix()
    {
        using var executor = Executor(slots: 1, budget: 1000);
        var error = await Assert.ThrowsAsync<ComputeBudgetException>(() => executor.Run(new ComputeRequest("probes of big", 5000), _ => 0));
        Assert.Contains("probes of big", error.Message);
        Assert.Contains("MemoryBudgetBytes", error.Message);
    }

    [Fact]
    public async Task Out_of_memory_becomes_an_error_naming_the_job_and_other_errors_pass_through()
    {
        using var executor = Executor(slots: 1, budget: 1L << 30);
        var oom = await Assert.ThrowsAsync<ComputeBudgetException>(() => executor.Run<int>(new ComputeRequest("huge", 1), _ => throw new OutOfMemoryException()));
        Assert.Contains("huge", oom.Message);
        Assert.Contains("ran out of memory", oom.Message);
        await Assert.ThrowsAsync<ArgumentException>(() => executor.Run<int>(new ComputeRequest("bad", 1), _ => throw new ArgumentException("bad input")));
        Assert.Equal(2, executor.Usage.Failed);
    }

    [Fact]
    public async Task Tensors_a_job_leaves_undisposed_are_freed_by_its_dispose_scope()
    {
        using var executor = Executor(slots: 1, budget: 1L << 30);
        var leaked = await executor.Run(new ComputeRequest("leak", 1), _ => torch.ones(1000));
        Assert.True(leaked.IsInvalid);
    }

    [Fact]
    public async Task Light_jobs_run_while_every_slot_is_busy()
    {
        using var executor = Executor(slots: 1, budget: 1L << 30);
        using var release = new ManualResetEventSlim();
        var heavy = executor.Run(new ComputeRequest("heavy", 1), _ => release.Wait(TimeSpan.FromSeconds(30)));
        var light = await executor.Run(new ComputeRequest("plan", 0, Light: true), _ => 42).WaitAsync(TimeSpan.FromSeconds(10));
        release.Set();
        Assert.Equal(42, light);
        Assert.True(await heavy);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current) { }
    }
}
