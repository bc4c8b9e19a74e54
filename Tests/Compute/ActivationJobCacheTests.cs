using ProbeGrid.Analysis.Activations;
using ProbeGrid.Analysis.Checkpoints;
using ProbeGrid.Grains.Compute;
using ProbeGrid.Grains.Planning;
using ProbeGrid.GrainsInterfaces.Sweeps;
using ProbeGrid.Tests.Activations;
using ProbeGrid.Tests.Checkpoints;
using ProbeGrid.Tests.Grid;
using TorchSharp;
using ProbeGrid.Grains.Models;

namespace ProbeGrid.Tests.Compute;

/// <summary>
/// A checkpoint's activations through the cache, as a unit gets them: a damaged entry is recomputed from the
/// weights (the same numbers as the first, fresh extraction) with a warning, and a checkpoint file that changed
/// after the sweep was planned is refused rather than cached under the planned weights' hash.
/// </summary>
public class ActivationJobCacheTests
{
    private static CheckpointWork Work(string root, string checkpoints)
    {
        var plan = new SweepPlanner(new DataRoots([root]), root).Plan(GridTestRun.Spec(checkpoints), "cache");
        return new CheckpointWork("cache", plan.Spec, plan.Architecture, plan.ModelParameters, plan.Checkpoints[0], plan.Layers, 0, null, plan.Layers);
    }

    private static CheckpointActivations Run(CheckpointWork work, string cache, RecordingLogger? log = null) =>
        new ActivationJob(new DatasetProvider(), new ActivationCache(cache, log)).Run(JobInputs.Of(work, ModelCatalog.BuiltIn), work.Layers, torch.CPU, CancellationToken.None);

    [Fact]
    public void A_cached_file_zeroed_after_its_header_is_recomputed_from_the_weights_with_a_warning()
    {
        using var root = new TempFolder();
        var work = Work(root.Path, GridTestRun.WriteCheckpoints(root.Path, 1));
        var cache = Path.Combine(root.Path, "cache");
        var fresh = Run(work, cache);
        var file = Directory.GetFiles(cache, "layer2.npy", SearchOption.AllDirectories)
            .Single(f => File.ReadAllText(Path.Combine(Path.GetDirectoryName(f)!, "key.txt")).Contains("|train\n"));
        var bytes = File.ReadAllBytes(file);
        var header = 10 + BitConverter.ToUInt16(bytes, 8);
        Array.Clear(bytes, header, bytes.Length - header);
        File.WriteAllBytes(file, bytes);
        var log = new RecordingLogger();

        var again = Run(work, cache, log);

        foreach (var (tap, layer) in fresh.Layers)
        {
            Assert.Equal(layer.Train.Data, again.Layers[tap].Train.Data);
            Assert.Equal(layer.Validation.Data, again.Layers[tap].Validation.Data);
            Assert.Equal(layer.Test.Data, again.Layers[tap].Test.Data);
        }
        Assert.Contains(again.Layers["layer2"].Train.Data, v => v != 0);
        var warning = Assert.Single(log.Warnings);
        Assert.Contains(file, warning);
        Assert.Contains("does not match its checksum", warning);
    }

    [Fact]
    public void A_checkpoint_rewritten_after_planning_is_refused_and_nothing_is_cached_under_the_planned_hash()
    {
        using var root = new TempFolder();
        var checkpoints = GridTestRun.WriteCheckpoints(root.Path, 2);
        var work = Work(root.Path, checkpoints);
        // Other weights under the planned file's name.
        File.Copy(Path.Combine(checkpoints, GridTestRun.CheckpointName(1) + ".pt"), work.Checkpoint.Path!, overwrite: true);
        var cache = Path.Combine(root.Path, "cache");

        var error = Assert.Throws<CheckpointException>(() => Run(work, cache));

        Assert.Contains(work.Checkpoint.Path!, error.Message);
        Assert.Contains("its content changed since the sweep was planned", error.Message);
        Assert.Empty(Directory.Exists(cache) ? Directory.GetFiles(cache, "*.npy", SearchOption.AllDirectories) : []);
    }
}
