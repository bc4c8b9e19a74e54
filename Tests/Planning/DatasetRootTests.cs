using ProbeGrid.Analysis.Data;
using ProbeGrid.Grains.Planning;
using ProbeGrid.GrainsInterfaces.Specs;
using ProbeGrid.Tests.Checkpoints;
using ProbeGrid.Tests.Data;

namespace ProbeGrid.Tests.Planning;

/// <summary>
/// The dataset's <c>root</c> folder is checked against the data roots where the planner resolves it
/// (its base directory), and the plan carries that absolute path, so the silo that loads the data
/// opens the folder that was checked, whatever its own working folder.
/// </summary>
public class DatasetRootTests : IDisposable
{
    private readonly TempFolder temp = new();

    public DatasetRootTests()
    {
        Directory.CreateDirectory(Path.Combine(Root, "runs"));
        Directory.CreateDirectory(Data);
        SyntheticFashionMnistFolder.Write(Data, trainCount: 40, testCount: 10, gzip: false);
    }

    public void Dispose() => temp.Dispose();

    private string Root => temp.File("data");

    private string Data => Path.Combine(Root, "fmnist");

    private SweepPlanner Planner => new(new DataRoots([Root]), Root);

    private static SweepSpec Spec(string root) => SweepSpecReader.Parse($$"""
        {
          "model": { "architecture": "mlp", "parameters": { "depth": 1, "width": 4 } },
          "dataset": { "name": "fashion-mnist", "parameters": { "root": "{{root}}", "trainCount": 20, "validationCount": 10, "testCount": 10 }, "seed": 3 },
          "layers": "*",
          "analyses": [ { "kind": "probe" } ]
        }
        """);

    [Theory]
    [InlineData("fmnist")]
    [InlineData("./runs/../fmnist/")]
    public void A_relative_root_is_planned_as_the_absolute_folder_that_was_checked(string root)
    {
        var spec = Spec(root);

        var plan = Planner.Plan(spec, "s");

        Assert.Equal(Data, plan.Spec.Dataset.Parameters[DatasetCatalog.RootParameter]);
        // Only the root changes.
        Assert.Equal(spec.Dataset.Parameters.Remove(DatasetCatalog.RootParameter), plan.Spec.Dataset.Parameters.Remove(DatasetCatalog.RootParameter));
        Assert.Equal(spec with { Dataset = spec.Dataset with { Parameters = plan.Spec.Dataset.Parameters } }, plan.Spec);

        // The planned spec loads the checked folder from any working folder (the test runner's is not the planner's base);
        // the spec as written would be looked up relative to the working folder instead.
        var data = DatasetCatalog.Load(plan.Spec.Dataset.Name, plan.Spec.Dataset.Parameters, plan.Spec.Dataset.Seed);
        Assert.Equal((20, 10, 10), (data.Train.Count, data.Validation.Count, data.Test.Count));
        Assert.NotEqual(Root, Directory.GetCurrentDirectory());
        Assert.ThrowsAny<Exception>(() => DatasetCatalog.Load(spec.Dataset.Name, spec.Dataset.Parameters, spec.Dataset.Seed));
    }

    [Fact]
    public void A_root_reached_through_a_link_inside_the_roots_keeps_the_links_path()
    {
        Directory.CreateSymbolicLink(Path.Combine(Root, "alias"), Data);

        var plan = Planner.Plan(Spec("alias"), "s");

        Assert.Equal(Path.Combine(Root, "alias"), plan.Spec.Dataset.Parameters[DatasetCatalog.RootParameter]);
    }

    [Fact]
    public void An_absolute_root_as_checked_leaves_the_spec_as_it_is()
    {
        var spec = Spec(Data);

        Assert.Same(spec, Planner.Plan(spec, "s").Spec);
    }

    [Fact]
    public void A_relative_root_that_resolves_outside_the_roots_is_refused()
    {
        var e = Assert.Throws<SpecException>(() => Planner.Plan(Spec("../elsewhere"), "s"));

        Assert.Equal([$"dataset.parameters.root '../elsewhere' is outside the data roots ({Root}): move the data under one, or add a root with --data-root / PROBEGRID_DATA_ROOTS"],
            e.Problems);
    }
}
