using System.Collections.Immutable;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Storage;
using ProbeGrid.Grains;
using ProbeGrid.Grains.Sweeps;
using ProbeGrid.Grains.Units;
using ProbeGrid.GrainsInterfaces.Results;
using ProbeGrid.GrainsInterfaces.Specs;
using ProbeGrid.GrainsInterfaces.Sweeps;
using ProbeGrid.Silo.Cluster;
using ProbeGrid.Silo.Storage;
using StackExchange.Redis;

namespace ProbeGrid.Bench;

/// <summary>
/// Grain state writes through the cluster providers as silos configure them: Orleans' Redis grain storage on a local
/// redis-server (append-only, fsync always) and Orleans' Azure blob grain storage on a local Azurite (scripts/azurite's
/// pinned one), each in an in-process silo. Writes of the states ProbeGrid stores, at their real serialized sizes, one
/// after another (latency) and 16 at once on different grains (throughput). Also the table provider for the small ones, for comparison.
/// </summary>
public sealed class StateWriteBenchmark : IBenchmark
{
    public string Name => "state-writes";

    public string Description => "grain state write latency and throughput on Redis and on Azurite (blobs; tables for comparison), at ProbeGrid's state sizes";

    private const int Concurrent = 16;

    private static int Writes(BenchSettings settings) => settings.Pick(200, 20);

    private readonly List<string> sizes = [];

    public IReadOnlyList<string> Notes(BenchSettings settings) =>
    [
        $"latency: {Writes(settings)} writes one after another to one grain (each an ETag-checked replace); ms = median and 95th percentile per write",
        $"throughput: {Writes(settings)} writes, {Concurrent} at a time on {Concurrent} grains; writes/s and MB/s of serialized state",
        "redis: redis-server with appendfsync always (scripts/redis's setting); azurite: Azurite 3.37.0 on loopback, data on local disk",
        "  (Azurite keeps its metadata in memory and saves it every 5 s: real Azure Storage acknowledges only what is durable, at network latency)",
        "table: Orleans' Azure table grain storage (at most 960 KiB a state); ProbeGrid puts every state in blobs (docs/cluster.md)",
        .. sizes,
    ];

    private sealed record Payload(string Name, string StateName, Func<object> State, int Bytes);

    public IReadOnlyList<BenchResult> Run(BenchSettings settings)
    {
        var results = new List<BenchResult>();
        var root = Directory.CreateTempSubdirectory("probegrid-bench-state-");
        Process? redis = null, azurite = null;
        try
        {
            var redisPort = FreePort();
            redis = Start("redis-server", ["--port", $"{redisPort}", "--bind", "127.0.0.1", "--dir", root.FullName, "--appendonly", "yes", "--appendfsync", "always", "--save", ""]);
            var ports = (Blob: FreePort(), Queue: FreePort(), Table: FreePort());
            var azuriteFolder = Directory.CreateDirectory(Path.Combine(root.FullName, "azurite")).FullName;
            azurite = Start("node", [AzuriteScript(), "--silent", "--disableTelemetry", "--skipApiVersionCheck", "--location", azuriteFolder,
                "--blobPort", $"{ports.Blob}", "--queuePort", $"{ports.Queue}", "--tablePort", $"{ports.Table}"]);
            WaitForPorts(redisPort, ports.Blob, ports.Table);
            var azure = new AzureStorageSettings
            {
                ConnectionString = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
                                   $"BlobEndpoint=http://127.0.0.1:{ports.Blob}/devstoreaccount1;TableEndpoint=http://127.0.0.1:{ports.Table}/devstoreaccount1;",
            };

            var providers = new (string Name, Action<ISiloBuilder> Add, int MaxBytes)[]
            {
                ("redis", silo => silo.AddRedisGrainStorage(StorageNames.State, o => o.ConfigurationOptions = ConfigurationOptions.Parse($"127.0.0.1:{redisPort}")), int.MaxValue),
                ("azurite blob", silo => silo.AddAzureBlobGrainStorage(StorageNames.State, o =>
                {
                    o.BlobServiceClient = AzureStorageConnection.Blobs(azure);
                    o.ContainerName = "bench-state";
                }), int.MaxValue),
                ("azurite table", silo => silo.AddAzureTableGrainStorage(StorageNames.State, o =>
                {
                    o.TableServiceClient = AzureStorageConnection.Tables(azure);
                    o.TableName = "benchstate";
                }), 960 * 1024),
            };
            List<Payload>? payloads = null;
            foreach (var (name, add, maxBytes) in providers)
            {
                using var host = Silo(add);
                var storage = host.Services.GetRequiredKeyedService<IGrainStorage>(StorageNames.State);
                payloads ??= Payloads(host.Services.GetRequiredService<Serializer>());
                foreach (var payload in payloads.Where(p => p.Bytes <= maxBytes))
                {
                    var @case = $"{name}, {payload.Name}";
                    try
                    {
                        results.Add(Latency(@case, storage, payload, settings));
                        results.Add(Throughput(@case, storage, payload, settings));
                    }
                    catch (Exception e)
                    {
                        results.Add(BenchResult.Failure(@case, e));
                    }
                }
                host.StopAsync().GetAwaiter().GetResult();
            }
            sizes.Clear();
            sizes.Add("serialized sizes (Orleans' binary format, as BinaryGrainStorageSerializer stores them):");
            sizes.AddRange(payloads!.Select(p => $"  {p.Name}: {p.Bytes:N0} bytes"));
        }
        finally
        {
            foreach (var process in new[] { redis, azurite }.OfType<Process>())
            {
                if (!process.HasExited) process.Kill();
                process.WaitForExit(5000);
                process.Dispose();
            }
            root.Delete(recursive: true);
        }
        return results;
    }

    private static BenchResult Latency(string @case, IGrainStorage storage, Payload payload, BenchSettings settings)
    {
        var state = new GrainState<object>(payload.State());
        var grain = GrainId.Create("bench", "latency-" + payload.Name.Replace(' ', '-'));
        var write = Typed(payload.State());
        write(storage, payload.StateName, grain, state); // creates the blob, table or key
        var perWrite = new List<double>();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < Writes(settings); i++)
        {
            var one = Stopwatch.StartNew();
            write(storage, payload.StateName, grain, state);
            perWrite.Add(one.Elapsed.TotalMilliseconds);
        }
        var seconds = watch.Elapsed.TotalSeconds;
        var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        perWrite.Sort();
        return new BenchResult($"{@case}: latency", new Timing([seconds], [cpuSeconds]),
        [
            new Metric("ms median", perWrite[perWrite.Count / 2]),
            new Metric("ms p95", perWrite[(int)(perWrite.Count * 0.95)]),
            new Metric("bytes", payload.Bytes),
        ]);
    }

    private static BenchResult Throughput(string @case, IGrainStorage storage, Payload payload, BenchSettings settings)
    {
        var grains = Enumerable.Range(0, Concurrent).Select(i => (Id: GrainId.Create("bench", $"throughput-{payload.Name.Replace(' ', '-')}-{i}"), State: new GrainState<object>(payload.State()))).ToList();
        var write = Typed(payload.State());
        foreach (var (id, state) in grains) write(storage, payload.StateName, id, state);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var rounds = Math.Max(1, Writes(settings) / Concurrent);
        for (var round = 0; round < rounds; round++)
            Task.WaitAll(grains.Select(g => Task.Run(() => write(storage, payload.StateName, g.Id, g.State))));
        var seconds = watch.Elapsed.TotalSeconds;
        var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        var count = rounds * Concurrent;
        return new BenchResult($"{@case}: {Concurrent} at once", new Timing([seconds], [cpuSeconds]),
        [
            new Metric("writes/s", count / seconds),
            new Metric("MB/s", count * (double)payload.Bytes / 1e6 / seconds),
        ]);
    }

    /// <summary>A synchronous write of the payload's own type (providers serialize by the state's static type).</summary>
    private static Action<IGrainStorage, string, GrainId, GrainState<object>> Typed(object sample) => sample switch
    {
        UnitState => (s, n, g, st) => WriteAs<UnitState>(s, n, g, st),
        SweepProgressState => (s, n, g, st) => WriteAs<SweepProgressState>(s, n, g, st),
        SweepPlanState => (s, n, g, st) => WriteAs<SweepPlanState>(s, n, g, st),
        SweepRegistryState => (s, n, g, st) => WriteAs<SweepRegistryState>(s, n, g, st),
        _ => throw new ArgumentException(sample.GetType().Name),
    };

    private static void WriteAs<T>(IGrainStorage storage, string stateName, GrainId grain, GrainState<object> holder)
    {
        var typed = new GrainState<T>((T)holder.State!) { ETag = holder.ETag, RecordExists = holder.RecordExists };
        storage.WriteStateAsync(stateName, grain, typed).GetAwaiter().GetResult();
        holder.ETag = typed.ETag;
        holder.RecordExists = typed.RecordExists;
    }

    /// <summary>The states ProbeGrid writes, built as the grains build them, at sizes a real sweep reaches.</summary>
    private static List<Payload> Payloads(Serializer serializer)
    {
        var random = new Random(7);
        MetricValue Metric(string name) => new("step-000100", 100, "layer3", 3, 0, name, random.NextDouble());
        var key = new UnitKey("step-000100", "layer3", "probe", 0);
        UnitState Unit(ImmutableArray<PixelMap> maps) => new()
        {
            Outcome = new UnitOutcome(key, [Metric("probe.error"), Metric("probe.loss"), Metric("probe.train_error"), Metric("probe.epochs")], null, "S10.0.0.7:11111:123456789", 12.5) { Maps = maps },
        };
        PixelMap Map(string kind, int sample, int side) =>
            new("step-000100", 100, "layer3", 3, 0, sample, sample % 10, kind, side, side, [.. Enumerable.Range(0, side * side).Select(_ => random.NextSingle())]);
        // The discarding analysis keeps the input and its SID and RU maps for each sample it is asked to map.
        ImmutableArray<PixelMap> Maps(int samples, int side) =>
            [.. Enumerable.Range(0, samples).SelectMany(s => new[] { Map(PixelMap.InputKind, s, side), Map(PixelMap.SidKind, s, side), Map(PixelMap.RuKind, s, side) })];

        SweepProgressState Progress(int units, int failures)
        {
            var progress = new SweepProgressState { Phase = SweepPhase.Running, Succeeded = new byte[(units + 7) / 8], SucceededCount = units - failures };
            for (var i = 0; i < failures; i++)
                progress.Failures[i] = new UnitFailure(key with { Checkpoint = $"step-{i:D6}" },
                    "TorchSharp: CUDA out of memory while training the probe of layer3 (tried to allocate 2.00 GiB; 1.20 GiB free); lower Resources:MemoryGiB or the batch size", 3, "S10.0.0.7:11111:123456789");
            return progress;
        }

        SweepPlanState Plan(int checkpoints, int layers)
        {
            var spec = SweepSpecReader.ReadFile(Path.Combine(RepositoryRoot(), "examples", "demo.json"));
            var plan = new SweepPlan("bench", spec, "mlp", ImmutableSortedDictionary<string, string>.Empty,
                [.. Enumerable.Range(0, checkpoints).Select(c => new CheckpointRef($"step-{c * 100:D6}", c * 100L, $"/data/runs/bench/checkpoints/step-{c * 100:D6}.pt", Convert.ToHexString(random.GetItems<byte>([1, 2, 3, 4, 5, 6, 7, 8], 32))))],
                [.. Enumerable.Range(0, layers).Select(l => new LayerRef($"features.{l}.block.conv", l, 256))]);
            return new SweepPlanState { Plan = plan, SpecFingerprint = new string('f', 64), SubmittedAt = DateTime.UtcNow };
        }

        var registry = new SweepRegistryState { SweepIds = [.. Enumerable.Range(0, 1000).Select(i => $"fashion-mnist-probes-{i:D4}")] };
        var states = new (string Name, string StateName, Func<object> State)[]
        {
            ("probe unit", "unit", () => Unit([])),
            ("discarding unit, 8 maps 28x28", "unit", () => Unit(Maps(8, 28))),
            ("discarding unit, 8 maps 224x224", "unit", () => Unit(Maps(8, 224))),
            ("progress 10k units", "progress", () => Progress(10_000, 0)),
            ("progress 10k units, 2k failed", "progress", () => Progress(10_000, 2_000)),
            ("plan 100 ckpt x 20 layers", "plan", () => Plan(100, 20)),
            ("plan 5k ckpt x 50 layers", "plan", () => Plan(5_000, 50)),
            ("registry 1k sweeps", "registry", () => registry),
        };
        var storageSerializer = new BinaryGrainStorageSerializer(serializer);
        return [.. states.Select(s =>
        {
            var sample = s.State();
            return new Payload(s.Name, s.StateName, () => sample, Size(storageSerializer, sample));
        })];
    }

    private static int Size(BinaryGrainStorageSerializer serializer, object state) => state switch
    {
        UnitState u => serializer.Serialize(u).ToMemory().Length,
        SweepProgressState p => serializer.Serialize(p).ToMemory().Length,
        SweepPlanState p => serializer.Serialize(p).ToMemory().Length,
        SweepRegistryState r => serializer.Serialize(r).ToMemory().Length,
        _ => throw new ArgumentException(state.GetType().Name),
    };

    private static IHost Silo(Action<ISiloBuilder> addStorage)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(siloPort: FreePort(), gatewayPort: FreePort());
            silo.Services.AddSingleton<IGrainStorageSerializer, BinaryGrainStorageSerializer>();
            addStorage(silo);
        });
        var host = builder.Build();
        host.StartAsync().GetAwaiter().GetResult();
        return host;
    }

    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "ProbeGrid.sln"))) folder = folder.Parent;
        return folder?.FullName ?? throw new InvalidOperationException("ProbeGrid.sln not found above the bench's output");
    }

    private static string AzuriteScript()
    {
        var start = new ProcessStartInfo(Path.Combine(RepositoryRoot(), "scripts", "azurite")) { RedirectStandardOutput = true };
        start.ArgumentList.Add("install");
        using var process = Process.Start(start)!;
        var path = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException("scripts/azurite install failed (run scripts/bootstrap)");
        return path;
    }

    private static Process Start(string file, string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static void WaitForPorts(params int[] ports)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        foreach (var port in ports)
        {
            while (true)
            {
                try
                {
                    using var client = new TcpClient();
                    client.Connect(IPAddress.Loopback, port);
                    break;
                }
                catch (SocketException) when (DateTime.UtcNow < deadline)
                {
                    Thread.Sleep(100);
                }
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
