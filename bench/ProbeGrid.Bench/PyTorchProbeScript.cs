using System.Globalization;
using System.Text.Json;
using ProbeGrid.Analysis.Activations;
using ProbeGrid.Analysis.Checkpoints;
using ProbeGrid.Analysis.Data;
using ProbeGrid.Analysis.LinearProbes;
using ProbeGrid.Grains.Compute;
using ProbeGrid.Grains.Models;
using ProbeGrid.GrainsInterfaces.Sweeps;
using TorchSharp;

namespace ProbeGrid.Bench;

/// <summary>
/// bench/probe_torch.py as the `vs-pytorch` case runs it: the files it reads (the checkpoint as F32 safetensors, the
/// three splits' inputs and labels as .npy) and one run of it under Debian's /usr/bin/python3, its JSON parsed.
/// </summary>
public static class PyTorchProbeScript
{
    private static readonly string[] Splits = ["train", "validation", "test"];

    public sealed record TapResult(string Tap, int Dimensions, double L2, double TestError);

    public sealed record Outcome(string TorchVersion, int Threads, double LoadSeconds, double ForwardSeconds, double ReductionSeconds, double ProbeSeconds,
        double TotalSeconds, IReadOnlyList<TapResult> Taps);

    /// <summary>Writes what the script reads into <paramref name="folder"/> and returns it.</summary>
    public static string WriteInputs(string folder, SweepPlan plan, string checkpoint, DatasetSplits data)
    {
        Directory.CreateDirectory(folder);
        using (var model = ModelLoader.Load(ModelCatalog.BuiltIn, plan.Architecture, plan.ModelParameters, checkpoint, plan.Spec.Dataset, plan.Spec.Model.InitSeed, torch.CPU))
            CheckpointFile.Save(model, Path.Combine(folder, "model.safetensors"));
        foreach (var (name, split) in Splits.Zip([data.Train, data.Validation, data.Test]))
        {
            using (var inputs = File.Create(Path.Combine(folder, $"{name}_inputs.npy")))
                NpyFile.WriteMatrix(inputs, new FeatureMatrix(split.Inputs, split.Count, split.SampleSize));
            using var labels = File.Create(Path.Combine(folder, $"{name}_labels.npy"));
            NpyFile.WriteVector(labels, split.Labels);
        }
        return folder;
    }

    /// <summary>One run of the script on <paramref name="folder"/> with the sweep's reduction and batch size and the optimum's grid and tolerance.</summary>
    public static Outcome Run(string folder, SweepPlan plan, int threads, OptimalProbeOptions optimum)
    {
        var script = PythonPeer.FindScript("probe_torch.py") ?? throw new FileNotFoundException("bench/probe_torch.py not found above the benchmark program");
        if (!File.Exists(PythonPeer.Python)) throw new FileNotFoundException($"{PythonPeer.Python} not found: run scripts/bootstrap --bench");
        var json = Path.Combine(folder, "result.json");
        string Number(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        string[] arguments =
        [
            folder, "--taps", string.Join(',', plan.Layers.Select(l => l.Name)), "--width", plan.Spec.Reduction.MaxDims.ToString(CultureInfo.InvariantCulture),
            "--seed", plan.Spec.Reduction.Seed.ToString(CultureInfo.InvariantCulture),
            "--threads", threads.ToString(CultureInfo.InvariantCulture),
            "--batch-size", plan.Spec.Resources.BatchSize.ToString(CultureInfo.InvariantCulture),
            "--sample-shape", string.Join(',', ModelCatalog.BuiltIn.SampleShape(plan.Spec.Dataset)),
            "--l2-grid", string.Join(',', optimum.L2Grid.Select(Number)),
            "--tolerance", Number(optimum.GradientTolerance),
            "--max-iterations", optimum.MaxIterations.ToString(CultureInfo.InvariantCulture),
            "--dtype", optimum.DoublePrecision ? "float64" : "float32",
            "--json", json,
        ];
        var (exitCode, errors) = PythonPeer.Run(script, arguments);
        if (exitCode != 0)
            throw new InvalidOperationException($"bench/probe_torch.py exited with {exitCode}: {errors} (is python3-torch installed? scripts/bootstrap --bench)");

        using var document = JsonDocument.Parse(File.ReadAllText(json));
        var root = document.RootElement;
        var seconds = root.GetProperty("seconds");
        return new Outcome(root.GetProperty("torch").GetString()!, root.GetProperty("threads").GetInt32(),
            seconds.GetProperty("load").GetDouble(), seconds.GetProperty("forward_hooks").GetDouble(), seconds.GetProperty("reduction").GetDouble(),
            seconds.GetProperty("probes").GetDouble(), root.GetProperty("total_seconds").GetDouble(),
            root.GetProperty("taps").EnumerateArray().Select(t => new TapResult(t.GetProperty("tap").GetString()!, t.GetProperty("dims").GetInt32(),
                t.GetProperty("l2").GetDouble(), t.GetProperty("test_error").GetDouble())).ToList());
    }
}
