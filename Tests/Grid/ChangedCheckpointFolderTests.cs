using ProbeGrid.Analysis.Checkpoints;
using ProbeGrid.Grains.Compute;
using ProbeGrid.GrainsInterfaces.Sweeps;
using ProbeGrid.Tests.Checkpoints;
using TorchSharp;
using ProbeGrid.Grains.Models;

namespace ProbeGrid.Tests.Grid;

/// <summary>
/// A sweep remembers the checkpoints it planned and their content hashes: resubmitted over a folder that
/// changed, it says what changed and what to do, and never reports old results as the new folder's.
/// </summary>
public sealed class ChangedCheckpointFolderTests
{
    [Fact]
    public async Task A_rerun_over_a_grown_folder_is_refused_naming_the_new_checkpoints()
    {
        using var root = new TempFolder();
        var all = GridTestRun.WriteCheckpoints(Path.Combine(root.Path, "later"), 4);
        var run = Path.Combine(root.Path, "run");
        Directory.CreateDirectory(run);
        File.Copy(Path.Combine(all, "model.json"), Path.Combine(run, "model.json"));
        void Copy(int i) => File.Copy(Path.Combine(all, GridTestRun.CheckpointName(i) + ".pt"), Path.Combine(run, GridTestRun.CheckpointName(i) + ".pt"), overwrite: true);
        Copy(0);
        Copy(1);
        var spec = GridTestRun.Spec(run);
        await using var grid = await GridCluster.StartAsync(root.Path);
        Assert.True((await grid.Client.SubmitAsync(spec, "grown", root.Path)).Accepted);
        await GridTestRun.WaitUntilAsync(grid.Client, "grown", s => s.IsFinished);

        Copy(2);
        Copy(3);
        var grown = await grid.Client.SubmitAsync(spec, "grown", root.Path);

        Assert.False(grown.Accepted);
        var problem = Assert.Single(grown.Problems);
        Assert.Contains("2 checkpoints added: step-0000020.pt, step-0000030.pt", problem);
        Assert.Contains("new sweepId", problem);
        Assert.Equal(2 * GridTestRun.Taps, grown.Status.TotalUnits);

        // A checkpoint rewritten in place and one gone are named too.
        File.Delete(Path.Combine(run, GridTestRun.CheckpointName(3) + ".pt"));
        File.Delete(Path.Combine(run, GridTestRun.CheckpointName(2) + ".pt"));
        File.Copy(Path.Combine(all, GridTestRun.CheckpointName(1) + ".pt"), Path.Combine(run, GridTestRun.CheckpointName(0) + ".pt"), overwrite: true);
        File.Delete(Path.Combine(run, GridTestRun.CheckpointName(1) + ".pt"));
        var changed = Assert.Single((await grid.Client.SubmitAsync(spec, "grown", root.Path)).Problems);
        Assert.Contains("1 checkpoint gone: step-0000010.pt", changed);
        Assert.Contains("1 checkpoint rewritten (content differs from when the sweep was planned): step-0000000.pt", changed);

        // Restored as planned, the same spec resumes (here: nothing left to do).
        Copy(0);
        Copy(1);
        var restored = await grid.Client.SubmitAsync(spec, "grown", root.Path);
        Assert.True(restored.Accepted, string.Join("; ", restored.Problems));
        Assert.Equal(SweepPhase.Completed, restored.Status.Phase);
    }

    [Fact]
    public void A_checkpoint_rewritten_after_planning_is_refused_when_a_unit_loads_it()
    {
        using var root = new TempFolder();
        var run = GridTestRun.WriteCheckpoints(root.Path, 2);
        var spec = GridTestRun.Spec(run);
        var plan = new Grains.Planning.SweepPlanner(new Grains.Planning.DataRoots([root.Path]), root.Path).Plan(spec, "rewritten");
        var first = plan.Checkpoints[0];
        Assert.Equal(CheckpointFingerprint.Of(first.Path!), first.ContentHash);
        var work = new CheckpointWork("rewritten", plan.Spec, plan.Architecture, plan.ModelParameters, first, plan.Layers, 0, null, plan.Layers);
        ModelLoader.For(JobInputs.Of(work, ModelCatalog.BuiltIn), torch.CPU).Dispose();

        File.Copy(plan.Checkpoints[1].Path!, first.Path!, overwrite: true);
        var error = Assert.Throws<CheckpointException>(() => ModelLoader.For(JobInputs.Of(work, ModelCatalog.BuiltIn), torch.CPU));
        Assert.Contains("changed since the sweep was planned", error.Message);
        Assert.Contains(first.Path!, error.Message);
    }
}
