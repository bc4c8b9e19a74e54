using ProbeGrid.GrainsInterfaces.Results;
using ProbeGrid.GrainsInterfaces.Specs;
using ProbeGrid.GrainsInterfaces.Sweeps;
using ProbeGrid.Tests.Checkpoints;
using ProbeGrid.Tests.Grid;

namespace ProbeGrid.Tests.Zoo.TorchScript;

/// <summary>
/// A sweep over a TorchScript model on the grid, end to end: its taps are planned from the spec, its checkpoints are
/// state_dicts of the scripted module, and every tap of every checkpoint is probed.
/// </summary>
[Collection(TorchScriptCollection.Name)]
public sealed class TorchScriptSweepTests(TorchScriptFixture files)
{
    [Fact]
    public async Task Every_tap_of_every_checkpoint_is_probed()
    {
        using var temp = new TempFolder(); // the grid's data root
        var model = temp.File("mlp.pt");
        File.Copy(files.PathOf("mlp.pt"), model);
        var checkpoints = temp.File("checkpoints");
        Directory.CreateDirectory(checkpoints);
        foreach (var file in Directory.GetFiles(files.PathOf("mlp_checkpoints")))
            File.Copy(file, Path.Combine(checkpoints, Path.GetFileName(file)));
        var spec = $$"""
            {
              "model": { "architecture": "torchscript", "parameters": { "file": "{{model}}", "taps": "hidden1,hidden2" }, "checkpoints": "{{checkpoints}}" },
              "dataset": { "name": "gaussian-sign", "parameters": { "dimension": 16, "trainCount": 400, "validationCount": 100, "testCount": 400 }, "seed": 3 },
              "layers": "*",
              "reduction": { "kind": "flatten" },
              "analyses": [ { "kind": "probe" } ]
            }
            """;

        await using var grid = await GridCluster.StartAsync(temp.Path);
        Assert.True((await grid.Client.SubmitAsync(SweepSpecReader.Parse(spec), "torchscript", temp.Path)).Accepted);
        var status = await GridTestRun.WaitUntilAsync(grid.Client, "torchscript", s => s.IsFinished);
        Assert.Equal(SweepPhase.Completed, status.Phase);

        var results = await grid.Client.GetResultsAsync("torchscript");
        var errors = results.Where(v => v.Metric == MetricNames.ProbeTestError).ToList();
        Assert.Equal(
            [("step-000100", "hidden1"), ("step-000100", "hidden2"), ("step-000100", "input"), ("step-000100", "logits"),
             ("step-000200", "hidden1"), ("step-000200", "hidden2"), ("step-000200", "input"), ("step-000200", "logits")],
            errors.Select(v => (v.Checkpoint, v.Layer)).Order());
        // The label is sign(x·w): a linear probe reads it off the input whatever the network's weights.
        Assert.All(errors.Where(v => v.Layer == "input"), v => Assert.True(v.Value < 0.1, $"input test error {v.Value}"));
        // The two checkpoints hold different weights, so their hidden layers are probed differently (a continuous loss).
        var losses = results.Where(v => v is { Metric: MetricNames.ProbeTrainLoss, Layer: "hidden1" }).ToDictionary(v => v.Checkpoint, v => v.Value);
        Assert.NotEqual(losses["step-000100"], losses["step-000200"]);
    }
}
