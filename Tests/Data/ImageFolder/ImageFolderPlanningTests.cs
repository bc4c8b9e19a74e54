using ProbeGrid.Analysis.Data.ImageFolder;
using ProbeGrid.Grains.Models;
using ProbeGrid.Grains.Planning;
using ProbeGrid.GrainsInterfaces.Specs;

namespace ProbeGrid.Tests.Data.ImageFolder;

/// <summary>A sweep over an image folder plans with the folder's class count, and a folder that cannot be counted is a listed problem.</summary>
public sealed class ImageFolderPlanningTests : IDisposable
{
    private readonly TemporaryFolder temporary = new();

    public ImageFolderPlanningTests()
    {
        Root = Path.Combine(temporary.Path, "data");
        ImageFolderWriter.Write(Path.Combine(Root, "images"), 16, [("train", 4), ("val", 2)], ImageFileFormat.Png);
    }

    private string Root { get; }

    public void Dispose() => temporary.Dispose();

    private static SweepSpec Spec(string root) => SweepSpecReader.Parse($$"""
        {
          "model": { "architecture": "mlp", "parameters": { "depth": 1, "width": 4 } },
          "dataset": { "name": "image-folder", "parameters": { "root": "{{root}}", "train": "train", "validation": "val", "test": "val",
                       "trainCount": 40, "validationCount": 10, "testCount": 10, "crop": 12, "channels": 1 }, "seed": 3 },
          "layers": "*",
          "analyses": [ { "kind": "probe" } ]
        }
        """);

    [Fact]
    public void TheClassCountIsTheFoldersAndTheDataLoadsAsPlanned()
    {
        var plan = new SweepPlanner(new DataRoots([Root]), Root).Plan(Spec("images"), "s");
        Assert.Equal(10, ModelCatalog.BuiltIn.ClassCount(plan.Spec.Dataset));
        Assert.Equal([1L, 12, 12], ModelCatalog.BuiltIn.SampleShape(plan.Spec.Dataset));
        var data = ModelCatalog.BuiltIn.Datasets.Load(plan.Spec.Dataset.Name, plan.Spec.Dataset.Parameters, plan.Spec.Dataset.Seed);
        Assert.Equal((40, 10, 10, 10), (data.Train.Count, data.Validation.Count, data.Test.Count, data.ClassCount));
    }

    [Fact]
    public void AFolderWithoutClassesIsAProblemOfTheSpecNotACrash()
    {
        Directory.CreateDirectory(Path.Combine(Root, "empty", "train"));
        var e = Assert.Throws<SpecException>(() => new SweepPlanner(new DataRoots([Root]), Root).Plan(Spec("empty"), "s"));
        var problem = Assert.Single(e.Problems);
        Assert.StartsWith($"dataset 'image-folder': its classes cannot be counted: Image folder cannot be loaded: folder '{Path.Combine(Root, "empty", "train")}' has no class folders", problem);
    }

    [Fact]
    public void ARootOutsideTheDataRootsIsNeverListed()
    {
        var e = Assert.Throws<SpecException>(() => new SweepPlanner(new DataRoots([Path.Combine(Root, "images", "train")]), Root).Plan(Spec("images"), "s"));
        Assert.Equal([$"dataset.parameters.root 'images' is outside the data roots ({Path.Combine(Root, "images", "train")}): move the data under one, or add a root with --data-root / PROBEGRID_DATA_ROOTS"], e.Problems);
    }
}
