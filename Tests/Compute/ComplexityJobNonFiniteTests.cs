using System.Collections.Immutable;
using ProbeGrid.Analysis.Checkpoints;
using ProbeGrid.Grains.Analyses;
using ProbeGrid.Grains.Compute;
using ProbeGrid.Grains.Planning;
using ProbeGrid.GrainsInterfaces.Specs;
using ProbeGrid.GrainsInterfaces.Sweeps;
using ProbeGrid.Tests.Checkpoints;
using ProbeGrid.Tests.Grid;
using TorchSharp;
using ProbeGrid.Grains.Models;

namespace ProbeGrid.Tests.Compute;

/// <summary>
/// A complexity unit plays its games through the network above its layer: a NaN up there fails the unit,
/// naming the parameter, before any disentangler is trained, rather than reporting NaN losses and Shapley values.
/// </summary>
public class ComplexityJobNonFiniteTests
{
    [Fact]
    public void A_NaN_above_the_layer_fails_the_unit_naming_the_parameter()
    {
        using var root = new TempFolder();
        var checkpoints = GridTestRun.WriteCheckpoints(root.Path, 1);
        var plan = new SweepPlanner(new DataRoots([root.Path]), root.Path).Plan(GridTestRun.Spec(checkpoints), "complexity");
        GridTestRun.PutNaN(plan.Checkpoints[0].Path!, "output.weight", 3);
        var work = new CheckpointWork("complexity", plan.Spec, plan.Architecture, plan.ModelParameters, plan.Checkpoints[0] with { ContentHash = null },
            plan.Layers, 0, null, plan.Layers);
        var settings = ComplexityAnalysis.Defaults;

        var error = Assert.Throws<CheckpointException>(() =>
            new ComplexityJob(new DatasetProvider()).Run(JobInputs.Of(work, ModelCatalog.BuiltIn), plan.Layers.Single(l => l.Name == "layer1"), settings, torch.CPU, CancellationToken.None));

        Assert.Contains(plan.Checkpoints[0].Path!, error.Message);
        Assert.Contains("its parameter output.weight holds NaN (element 3), so the losses of the complexity games played through the network above 'layer1' would not be finite", error.Message);
    }
}
