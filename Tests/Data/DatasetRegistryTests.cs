using ProbeGrid.Analysis.Data;

namespace ProbeGrid.Tests.Data;

/// <summary>The data-set registry: lookup by name, what each data set declares without loading, and a data set a user adds.</summary>
public sealed class DatasetRegistryTests : IDisposable
{
    private const string BuiltInNames = "fashion-mnist, gaussian-sign, fashion-mnist-mosaic, random-task, fashion-mnist-canvas, image-folder";

    private readonly TemporaryFolder _folder = new();

    public DatasetRegistryTests() => SyntheticFashionMnistFolder.Write(_folder.Path, trainCount: 60, testCount: 12, gzip: false);

    public void Dispose() => _folder.Dispose();

    private static Dictionary<string, string> Parameters(string spec) =>
        spec.Length == 0 ? [] : spec.Split(' ').Select(p => p.Split('=')).ToDictionary(p => p[0], p => p[1]);

    [Fact]
    public void Built_in_registry_lists_the_shipped_data_sets_in_order()
    {
        Assert.Equal(BuiltInNames, string.Join(", ", DatasetRegistry.BuiltIn.Names));
        Assert.Equal(DatasetRegistry.BuiltIn.Names, DatasetCatalog.Names);
        Assert.IsType<FashionMnistMosaicCatalogEntry>(DatasetRegistry.BuiltIn.Get("fashion-mnist-mosaic"));
        Assert.True(DatasetRegistry.BuiltIn.TryGet("random-task", out var task));
        Assert.Equal(TargetKind.Regression, task.TargetKind);
    }

    [Fact]
    public void An_unknown_name_is_an_argument_error_listing_the_known_ones()
    {
        Assert.False(DatasetRegistry.BuiltIn.TryGet("mnist", out _));
        var error = Assert.Throws<ArgumentException>(() => DatasetRegistry.BuiltIn.Get("mnist"));
        Assert.StartsWith($"unknown data set 'mnist'; known data sets are {BuiltInNames}", error.Message);
        Assert.Equal("name", error.ParamName);
        Assert.Equal([$"dataset: unknown data set 'mnist'; known data sets are {BuiltInNames}"], DatasetRegistry.BuiltIn.Validate("mnist", Parameters("")));
        Assert.Empty(DatasetRegistry.BuiltIn.ParameterNames("mnist"));
    }

    [Fact]
    public void A_name_registered_twice_is_refused()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new DatasetRegistry([new CountingDataset(), new GaussianSignCatalogEntry(), new CountingDataset()]));
        Assert.Contains("two data sets are registered as 'counting'", error.Message);
    }

    public static TheoryData<string, string, TargetKind, int, long[], long[]?> BuiltIns => new()
    {
        // data set, parameters (root added), target kind, class count, sample shape, target shape
        { "fashion-mnist", "trainCount=20 validationCount=10 testCount=8", TargetKind.ClassIndex, 10, [1, 28, 28], null },
        { "gaussian-sign", "dimension=5 trainCount=20 validationCount=10 testCount=8", TargetKind.ClassIndex, 2, [5], null },
        { "fashion-mnist-mosaic", "grid=3 itemSize=14 trainCount=8 validationCount=4 testCount=2", TargetKind.LabelSet, 10, [1, 42, 42], null },
        { "random-task", "n=2 seed=3 trainCount=8 validationCount=4 testCount=2", TargetKind.Regression, 0, [1, 28, 28], [64, 7, 7] },
        { "fashion-mnist-canvas", "canvas=36 trainCount=8 validationCount=4 testCount=2", TargetKind.ClassIndex, 10, [1, 36, 36], null },
    };

    /// <summary>What a data set declares without loading (the planner's view) is what loading it gives.</summary>
    [Theory]
    [MemberData(nameof(BuiltIns))]
    public void Declared_shapes_and_sizes_are_what_loading_gives(string name, string spec, TargetKind kind, int classCount, long[] sampleShape, long[]? targetShape)
    {
        var parameters = Parameters(spec);
        if (name != "gaussian-sign")
            parameters["root"] = _folder.Path;
        var dataset = DatasetRegistry.BuiltIn.Get(name);
        Assert.Empty(DatasetRegistry.BuiltIn.Validate(name, parameters));
        Assert.Equal((kind, classCount), (dataset.TargetKind, dataset.ClassCount));
        Assert.Equal(sampleShape, dataset.SampleShape(parameters));
        Assert.Equal(targetShape, dataset.TargetShape(parameters));

        var splits = DatasetRegistry.BuiltIn.Load(name, parameters, seed: 2);
        Assert.Equal(dataset.SplitSizes(parameters), new[] { splits.Train.Count, splits.Validation.Count, splits.Test.Count });
        Assert.Equal((kind, classCount), (splits.Kind, splits.ClassCount));
        Assert.Equal(sampleShape, splits.SampleShape);
        Assert.Equal(targetShape, splits.TargetShape);
    }

    [Fact]
    public void A_user_data_set_is_checked_and_loaded_through_its_registry()
    {
        var registry = new DatasetRegistry([.. DatasetRegistry.BuiltInDatasets(), new CountingDataset()]);
        Assert.Equal($"{BuiltInNames}, counting", string.Join(", ", registry.Names));

        Assert.Equal(
        [
            "dataset 'counting': unknown parameter 'Count' (did you mean 'count'?); allowed parameters are count",
            "dataset 'counting': parameter 'count' must be an integer (got 'many')",
        ], registry.Validate("counting", Parameters("Count=3 count=many")));
        Assert.Equal(["dataset 'counting': count must be at least 1 (got 0)"], registry.Validate("counting", Parameters("count=0")));
        var refused = Assert.Throws<ArgumentException>(() => registry.Load("counting", Parameters("count=0"), seed: 1));
        Assert.StartsWith("Invalid data set in the sweep spec: dataset 'counting': count must be at least 1 (got 0).", refused.Message);

        var splits = registry.Load("counting", Parameters("count=3"), seed: 10);
        Assert.Equal([0f, 10f, 1f, 12f, 2f, 14f], splits.Test.Inputs);
        Assert.Equal([0L, 1, 0], splits.Train.Labels);
        Assert.Equal([3, 3, 3], registry.Get("counting").SplitSizes(Parameters("count=3")));

        // The shipped catalogue does not know it: the user's registry is the only place it was added.
        Assert.Contains("unknown data set 'counting'", Assert.Single(DatasetCatalog.Validate("counting", Parameters(""))));
    }
}
