using ProbeGrid.Analysis.Checkpoints;
using ProbeGrid.Grains.Planning;
using ProbeGrid.GrainsInterfaces.Specs;
using ProbeGrid.GrainsInterfaces.Sweeps;
using ProbeGrid.Tests.Checkpoints;

namespace ProbeGrid.Tests.Planning;

/// <summary>
/// A checkpoint that cannot be read, or holds another network, is refused with the spec before any work
/// (`probegrid run` exits 2, as for any bad input), not left to fail every unit of its checkpoint (exit 1).
/// Only the files' headers are read for this.
/// </summary>
public class CheckpointPlanCheckTests : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    private string Run => temp.File("run");

    private SweepPlan Plan() => new SweepPlanner(new DataRoots([temp.Path]), temp.Path).Plan(SweepSpecReader.Parse($$"""
        {
          "model": { "checkpoints": "{{Run}}" },
          "dataset": { "name": "gaussian-sign", "parameters": { "dimension": 4 } },
          "reduction": { "kind": "flatten" },
          "analyses": [ { "kind": "probe" } ]
        }
        """), "check");

    [Fact]
    public void Good_checkpoints_plan()
    {
        CheckpointFolderWriter.Write(Run, [0, 10, 20]);

        Assert.Equal(3, Plan().Checkpoints.Length);
    }

    [Fact]
    public void A_truncated_checkpoint_and_one_that_is_not_a_checkpoint_are_both_refused_at_plan_time()
    {
        var paths = CheckpointFolderWriter.Write(Run, [0, 10, 20]);
        File.WriteAllBytes(paths[1], File.ReadAllBytes(paths[1])[..100]);
        File.WriteAllText(paths[2], "not a checkpoint, but private notes");

        var problems = Assert.Throws<SpecException>(() => Plan()).Problems;

        Assert.Equal(2, problems.Count());
        Assert.Contains(problems, p => p.StartsWith($"model.checkpoints: Checkpoint '{paths[1]}'") && p.Contains("truncated"));
        Assert.Contains(problems, p => p.StartsWith($"model.checkpoints: Checkpoint '{paths[2]}'") && !p.Contains("private"));
    }

    [Fact]
    public void A_checkpoint_of_another_network_is_refused_with_every_mismatch_named()
    {
        var paths = CheckpointFolderWriter.Write(Run, [0, 10]);
        // Same folder and model.json, but the weights of a wider network.
        using (var wider = Analysis.Zoo.ModelZoo.Create("mlp", new Dictionary<string, string> { ["depth"] = "3", ["width"] = "9" }, [4], 2, seed: 1))
            CheckpointFile.Save(wider, paths[1]);

        var problem = Assert.Single(Assert.Throws<SpecException>(() => Plan()).Problems);

        Assert.StartsWith($"model.checkpoints: Checkpoint '{paths[1]}' has ", problem);
        Assert.Contains("shape mismatch for 'hidden.0.weight': the model expects [8, 4], the file has [9, 4]", problem);
    }
}
