using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Configuration;
using Orleans.Persistence;
using Orleans.Serialization;
using Orleans.Storage;
using ProbeGrid.Grains.Sweeps;
using ProbeGrid.GrainsInterfaces.Sweeps;
using ProbeGrid.Silo.Storage;
using ProbeGrid.Tests.Checkpoints;
using ProbeGrid.Tests.Cluster;
using StackExchange.Redis;

namespace ProbeGrid.Tests.Storage;

/// <summary>
/// Issue 13, item 5: a reentrant grain (the sweep) keeps changing its state while a write of it
/// is in flight. Every storage provider the grid configures must persist the state as it was when
/// the write was called (its turn), never a mix, and never fail with "Collection was modified".
/// </summary>
public sealed class StateWriteRaceTests
{
    private const int Writes = 150;
    private static readonly GrainId Grain = GrainId.Create("sweep", "race");
    private static readonly BinaryGrainStorageSerializer Serializer = StorageSerializer.Instance;

    [Fact]
    public async Task Sqlite_storage_persists_the_state_as_of_the_write_while_the_grain_keeps_changing_it()
    {
        using var folder = new TempFolder();
        await HammerAsync(new SqliteGrainStorage(folder.File("grid.db"), Serializer));
    }

    [Fact]
    public async Task Redis_storage_persists_the_state_as_of_the_write_while_the_grain_keeps_changing_it()
    {
        using var folder = new TempFolder();
        using var redis = await RedisServer.StartAsync(folder.File("redis"));
        await using var storage = await RedisStorage.StartAsync(redis.ConnectionString);
        await HammerAsync(storage.Storage);
    }

    /// <summary>
    /// Writes a sweep's progress again and again; between a write's call and its completion the
    /// "grain" goes on recording units (what its other turns do while the write awaits I/O). What is
    /// read back must be exactly the state at the call.
    /// </summary>
    private static async Task HammerAsync(IGrainStorage storage)
    {
        var state = new SweepProgressState { Phase = SweepPhase.Running, Succeeded = new byte[512] };
        for (var unit = 0; unit < 2_000; unit++) RecordFailure(state, unit);
        var grainState = new GrainState<SweepProgressState>(state);
        var mutations = 0;
        for (var write = 0; write < Writes; write++)
        {
            var atCall = Describe(state);
            var pending = storage.WriteStateAsync("progress", Grain, grainState);
            // The grain's next turns, interleaved with the write's I/O.
            while (!pending.IsCompleted) Mutate(state, mutations++);
            await pending;

            var read = new GrainState<SweepProgressState>(new SweepProgressState());
            await storage.ReadStateAsync("progress", Grain, read);
            Assert.Equal(grainState.ETag, read.ETag);
            Assert.Equal(atCall, Describe(read.State!));
        }
        Assert.True(mutations > Writes, $"the state changed only {mutations} times during {Writes} writes: the test did not race");
    }

    /// <summary>One turn of the sweep grain: a unit succeeds (its failure goes, its bit is set) and another fails.</summary>
    private static void Mutate(SweepProgressState state, int step)
    {
        var unit = step % 4_000;
        state.Failures.Remove(unit);
        state.Succeeded[unit / 8 % state.Succeeded.Length] ^= (byte)(1 << (unit % 8));
        state.SucceededCount++;
        RecordFailure(state, 4_000 + step % 4_000);
    }

    private static void RecordFailure(SweepProgressState state, int unit) =>
        state.Failures[unit] = new UnitFailure(new UnitKey($"step-{unit}", "fc1", "probe", 0), $"cause {unit}", unit % 6 + 1, "silo");

    /// <summary>Everything the state holds, in a canonical order.</summary>
    private static string Describe(SweepProgressState state) => string.Join("|",
        state.Phase, state.SucceededCount.ToString(CultureInfo.InvariantCulture), Convert.ToHexString(state.Succeeded),
        string.Join(",", state.Failures.OrderBy(f => f.Key).Select(f => $"{f.Key}:{f.Value.Key}:{f.Value.Cause}:{f.Value.Attempts}")));

    /// <summary>Orleans' Redis grain storage, as the cluster silos configure it, started outside a silo.</summary>
    private sealed class RedisStorage : IAsyncDisposable
    {
        private readonly ServiceProvider services;
        private readonly ILifecycleObserver lifecycle;

        private RedisStorage(ServiceProvider services, IGrainStorage storage, ILifecycleObserver lifecycle)
        {
            this.services = services;
            Storage = storage;
            this.lifecycle = lifecycle;
        }

        public IGrainStorage Storage { get; }

        public static async Task<RedisStorage> StartAsync(string connectionString)
        {
            var collection = new ServiceCollection().AddSerializer();
            collection.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
            collection.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
            collection.Configure<ClusterOptions>(o => o.ServiceId = "race-" + Guid.NewGuid().ToString("N"));
            collection.AddSingleton<IGrainStorageSerializer, BinaryGrainStorageSerializer>();
            collection.AddOptions<RedisStorageOptions>("state").Configure(o => o.ConfigurationOptions = ConfigurationOptions.Parse(connectionString));
            var services = collection.BuildServiceProvider();
            var storage = RedisGrainStorageFactory.Create(services, "state");
            var stages = new StageCapture();
            ((ILifecycleParticipant<ISiloLifecycle>)storage).Participate(stages);
            await stages.Observer!.OnStart(CancellationToken.None);
            return new RedisStorage(services, storage, stages.Observer);
        }

        public async ValueTask DisposeAsync()
        {
            await lifecycle.OnStop(CancellationToken.None);
            await services.DisposeAsync();
        }
    }

    /// <summary>The storage's one lifecycle stage (it connects to Redis there), kept to be run by hand.</summary>
    private sealed class StageCapture : ISiloLifecycle
    {
        public ILifecycleObserver? Observer { get; private set; }

        public int HighestCompletedStage => 0;

        public int LowestStoppedStage => 0;

        public IDisposable Subscribe(string observerName, int stage, ILifecycleObserver observer)
        {
            Observer = observer;
            return new CancellationTokenSource();
        }
    }
}
