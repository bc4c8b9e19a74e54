using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ProbeGrid.Grains.Compute;
using TorchSharp;

namespace ProbeGrid.Silo.Compute;

/// <summary>
/// Runs tensor jobs on dedicated threads (never Orleans' scheduler or the thread pool), one per
/// slot, admitting a job only when its estimated memory fits the budget beside the running ones.
/// Each job runs synchronously inside its own TorchSharp dispose scope, which is thread-static.
/// When the silo stops, running jobs are cancelled and awaited before Orleans deactivates the grains
/// that wait for them, so no libtorch call is still running when the process exits.
/// </summary>
public sealed class ComputeExecutor : IComputeExecutor, ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    /// <summary>How long a stopping silo waits for running jobs to reach a cancellation point.</summary>
    private static readonly TimeSpan StopWait = TimeSpan.FromSeconds(60);

    private readonly BlockingCollection<Action> queue = new();
    private readonly BlockingCollection<Action> lightQueue = new();
    private readonly Thread[] workers;
    private readonly Thread lightWorker;
    private readonly object budgetLock = new();
    private readonly ILogger<ComputeExecutor> logger;
    private long reserved;
    private int busy;
    private long completed;
    private long failed;
    private int unitsRunning;
    private long unitsDone;
    private readonly DateTime startedAt = DateTime.UtcNow;
    private readonly CancellationTokenSource stopping = new();
    private readonly CountdownEvent active = new(1);
    private int disposed;

    public ComputeExecutor(IOptions<ComputeOptions> options, ILogger<ComputeExecutor> logger)
    {
        this.logger = logger;
        var settings = options.Value;
        var problems = settings.Validate();
        if (problems.Count > 0) throw new OptionsValidationException(ComputeOptions.Section, typeof(ComputeOptions), problems);

        Device = settings.Device switch
        {
            "cuda" => torch.CUDA,
            "cpu" => torch.CPU,
            _ => torch.cuda.is_available() ? torch.CUDA : torch.CPU,
        };
        var slots = settings.Slots > 0 ? settings.Slots : Device.type == DeviceType.CUDA ? 2 : 1;
        Budget = settings.ResolveMemoryBudget(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes);
        workers = Enumerable.Range(0, slots).Select(i => new Thread(() => Work(queue)) { IsBackground = true, Name = $"probegrid-compute-{i}" }).ToArray();
        foreach (var worker in workers) worker.Start();
        lightWorker = new Thread(() => Work(lightQueue)) { IsBackground = true, Name = "probegrid-compute-light" };
        lightWorker.Start();
        logger.LogInformation("Compute executor: {Slots} slot(s) on {Device}, memory budget {Budget:F1} GiB, {Threads} torch threads",
            slots, Device.type, Budget / (double)(1L << 30), torch.get_num_threads());
    }

    public torch.Device Device { get; }

    public bool IsStopping => stopping.IsCancellationRequested;

    public long Budget { get; }

    public ComputeUsage Usage
    {
        get
        {
            lock (budgetLock) return new ComputeUsage(workers.Length, busy, queue.Count, completed, failed, reserved, Budget, unitsRunning, unitsDone, startedAt);
        }
    }

    public Task<T> Run<T>(ComputeRequest request, Func<ComputeContext, T> work, CancellationToken ct = default)
    {
        if (request.EstimatedBytes > Budget)
            return Task.FromException<T>(new ComputeBudgetException(
                $"{request.Description} needs about {Gib(request.EstimatedBytes)} GiB but the silo's memory budget is {Gib(Budget)} GiB: " +
                $"lower reduction.maxDims or the dataset sizes in the spec, or raise {ComputeOptions.Section}:MemoryBudgetBytes"));

        if (IsStopping) return Task.FromException<T>(Stopped(request));
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        (request.Light ? lightQueue : queue).Add(() =>
        {
            using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(ct, stopping.Token);
            if (cancellation.IsCancellationRequested || !TryEnter())
            {
                completion.SetException(IsStopping ? Stopped(request) : new OperationCanceledException(ct));
                return;
            }
            if (!request.Light) Reserve(request.EstimatedBytes);
            Interlocked.Add(ref unitsRunning, request.Units);
            try
            {
                T result;
                // The scope closes before the result is handed over: a job returns managed data, never live tensors.
                using (torch.NewDisposeScope()) result = work(new ComputeContext(Device, cancellation.Token));
                Interlocked.Increment(ref completed);
                Interlocked.Add(ref unitsDone, request.Units);
                completion.SetResult(result);
            }
            catch (OperationCanceledException) when (IsStopping)
            {
                completion.SetException(Stopped(request));
            }
            catch (Exception e)
            {
                Interlocked.Increment(ref failed);
                completion.SetException(Translate(request, e));
            }
            finally
            {
                Interlocked.Add(ref unitsRunning, -request.Units);
                if (!request.Light) Release(request.EstimatedBytes);
                active.Signal();
            }
        }, CancellationToken.None);
        return completion.Task;
    }

    /// <summary>Stops first when the silo stops (its Active stage), before grains deactivate and wait on their jobs.</summary>
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(ComputeExecutor), ServiceLifecycleStage.Active, _ => Task.CompletedTask, _ => Task.Run(Stop));

    /// <summary>Cancels the running jobs and refuses new ones; returns when the running jobs have ended (or after <see cref="StopWait"/>).</summary>
    public void Stop()
    {
        lock (active)
        {
            if (IsStopping) return;
            stopping.Cancel();
            active.Signal(); // the executor's own count: only the running jobs' remain
        }
        if (!active.Wait(StopWait))
            logger.LogWarning("Compute executor: {Jobs} job(s) still running {Seconds} s after the silo began to stop", active.CurrentCount, StopWait.TotalSeconds);
    }

    public void Dispose()
    {
        // Registered under three service types; the container may dispose it more than once.
        if (Interlocked.Exchange(ref disposed, 1) == 1) return;
        Stop();
        queue.CompleteAdding();
        lightQueue.CompleteAdding();
        foreach (var worker in workers.Append(lightWorker)) worker.Join(TimeSpan.FromSeconds(30));
        queue.Dispose();
        lightQueue.Dispose();
    }

    /// <summary>Counts a job as running unless the executor has begun to stop.</summary>
    private bool TryEnter()
    {
        lock (active)
        {
            if (IsStopping) return false;
            active.AddCount();
            return true;
        }
    }

    private static SiloStoppingException Stopped(ComputeRequest request) =>
        new($"{request.Description} was interrupted: its silo is shutting down; the sweep runs it again elsewhere, or when the grid is back");

    private static void Work(BlockingCollection<Action> jobs)
    {
        foreach (var job in jobs.GetConsumingEnumerable()) job();
    }

    /// <summary>Blocks this worker until the job's memory fits beside the running jobs.</summary>
    private void Reserve(long bytes)
    {
        lock (budgetLock)
        {
            while (reserved > 0 && reserved + bytes > Budget) Monitor.Wait(budgetLock);
            reserved += bytes;
            busy++;
        }
    }

    private void Release(long bytes)
    {
        lock (budgetLock)
        {
            reserved -= bytes;
            busy--;
            Monitor.PulseAll(budgetLock);
        }
    }

    /// <summary>Out-of-memory from .NET or from libtorch (CPU or CUDA) becomes an error naming the job and the fix.</summary>
    private Exception Translate(ComputeRequest request, Exception e)
    {
        var outOfMemory = e is OutOfMemoryException || e.Message.Contains("out of memory", StringComparison.OrdinalIgnoreCase)
            || e.Message.Contains("DefaultCPUAllocator", StringComparison.Ordinal);
        if (!outOfMemory) return e;
        logger.LogError("{Job} ran out of memory on {Device}: {Message}", request.Description, Device.type, e.Message);
        return new ComputeBudgetException(
            $"{request.Description} ran out of memory on {Device.type} (estimated {Gib(request.EstimatedBytes)} GiB): " +
            "lower reduction.maxDims, resources.batchSize or the dataset sizes, or give the silo fewer slots", e);
    }

    private static string Gib(long bytes) => (bytes / (double)(1L << 30)).ToString("F2", System.Globalization.CultureInfo.InvariantCulture);
}
