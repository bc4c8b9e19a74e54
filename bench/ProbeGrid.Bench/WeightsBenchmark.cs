using ProbeGrid.Analysis.Checkpoints;

namespace ProbeGrid.Bench;

/// <summary>
/// Reading a resnet50-sized state dict (torchvision's resnet50 names and shapes, 25.6M parameters, written by
/// bench/resnet50_weights.py under /usr/bin/python3) the ways PyTorch users have it: the layout check a planner
/// runs for every checkpoint (<see cref="CheckpointFile.Inspect"/>, no tensor data) and reading every tensor
/// (<see cref="CheckpointFile.Read"/>), from one safetensors file, a torch.save zip pickle, a wrapped dict with an
/// optimizer's state beside the model's, and three safetensors shards. Raw reads: ProbeGrid's zoo has no resnet50.
/// </summary>
public sealed class WeightsBenchmark : IBenchmark
{
    private static readonly (string Case, string File)[] Cases =
    [
        ("safetensors", "resnet50.safetensors"),
        ("pickle .pt", "resnet50.pt"),
        ("wrapped .pth", "resnet50-wrapped.pth"),
        ("sharded x3", "sharded"),
    ];

    public string Name => "weights";

    public string Description => "resnet50-sized state dict (25.6M params): layout check and full read from safetensors, .pt pickle, wrapped .pth, 3 shards";

    public IReadOnlyList<string> Notes(BenchSettings settings) =>
    [
        "files: torchvision.models.resnet50(weights=None).state_dict() written by bench/resnet50_weights.py (102 MB of F32)",
        "inspect: names, dtypes and shapes only (what the sweep planner checks for every checkpoint); read: every tensor into memory, as stored",
        "the page cache is warm (one untimed run first): these are parse-and-copy costs, not disk reads",
    ];

    public IReadOnlyList<BenchResult> Run(BenchSettings settings)
    {
        var folder = Path.Combine(Path.GetTempPath(), "probegrid-bench-weights");
        Directory.CreateDirectory(folder);
        var results = new List<BenchResult>();
        try
        {
            var script = PythonPeer.FindScript("resnet50_weights.py") ?? throw new FileNotFoundException("bench/resnet50_weights.py not found above the benchmark program");
            var (exit, errors) = PythonPeer.Run(script, [folder]);
            if (exit != 0) throw new InvalidOperationException($"resnet50_weights.py failed ({exit}): {errors}");
        }
        catch (Exception e)
        {
            return [BenchResult.Failure("write resnet50 files", e)];
        }
        try
        {
            foreach (var (name, file) in Cases)
            {
                var path = Path.Combine(folder, file);
                try
                {
                    var contents = CheckpointFile.Inspect(path);
                    var inspect = Timing.Measure(() => CheckpointFile.Inspect(path), settings);
                    results.Add(new BenchResult($"{name} inspect", inspect, [new Metric("tensors", contents.TensorCount), new Metric("ms", inspect.Median * 1000)]));
                    long bytes = 0;
                    var read = Timing.Measure(() =>
                    {
                        var tensors = CheckpointFile.Read(path);
                        bytes = tensors.Values.Sum(t => t.numel() * t.element_size());
                        foreach (var t in tensors.Values) t.Dispose();
                    }, settings);
                    results.Add(new BenchResult($"{name} read", read, [new Metric("MB", bytes / 1e6), new Metric("MB/s", bytes / 1e6 / read.Median)]));
                }
                catch (Exception e)
                {
                    results.Add(BenchResult.Failure(name, e));
                }
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
        return results;
    }
}
