using ProbeGrid.Analysis.Data;

namespace ProbeGrid.Tests.Data;

public sealed class DatasetCatalogTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static Dictionary<string, string> Parameters(params (string Key, string Value)[] pairs) =>
        pairs.ToDictionary(p => p.Key, p => p.Value);

    [Fact]
    public void Names_are_the_known_data_sets()
    {
        Assert.Equal(["fashion-mnist", "gaussian-sign", "fashion-mnist-mosaic", "random-task", "fashion-mnist-canvas", "image-folder"], DatasetCatalog.Names);
    }

    [Theory]
    [InlineData("fashion-mnist")]
    [InlineData("gaussian-sign")]
    [InlineData("fashion-mnist-mosaic")]
    [InlineData("random-task")]
    [InlineData("fashion-mnist-canvas")]
    public void Defaults_are_valid(string name)
    {
        Assert.Empty(DatasetCatalog.Validate(name, Parameters()));
    }

    [Fact]
    public void Valid_parameters_pass_without_touching_the_disk()
    {
        var problems = DatasetCatalog.Validate("fashion-mnist",
            Parameters(("root", "/nowhere/at/all"), ("trainCount", "40000"), ("validationCount", "20000"), ("testCount", " 5000 ")));
        Assert.Empty(problems);
    }

    [Fact]
    public void Unknown_name_lists_the_known_ones()
    {
        var problems = DatasetCatalog.Validate("mnist", Parameters(("trainCount", "x")));

        var problem = Assert.Single(problems);
        Assert.Contains("unknown data set 'mnist'", problem);
        Assert.Contains("fashion-mnist, gaussian-sign, fashion-mnist-mosaic", problem);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var problems = DatasetCatalog.Validate("gaussian-sign", Parameters(
            ("dimension", "0"), ("trainCount", "abc"), ("validationCount", "1.5"), ("TestCount", "3"), ("noise", "0.1")));

        Assert.Equal(4, problems.Count);
        Assert.Contains(problems, p => p.Contains("unknown parameter 'TestCount' (did you mean 'testCount'?)") &&
                                       p.Contains("allowed parameters are dimension, trainCount, validationCount, testCount"));
        Assert.Contains(problems, p => p.Contains("unknown parameter 'noise'"));
        Assert.Contains(problems, p => p.Contains("'trainCount' must be an integer (got 'abc')"));
        Assert.Contains(problems, p => p.Contains("'validationCount' must be an integer (got '1.5')"));
    }

    [Fact]
    public void Out_of_range_values_are_reported_once_the_integers_parse()
    {
        var fashion = DatasetCatalog.Validate("fashion-mnist",
            Parameters(("root", " "), ("trainCount", "55000"), ("testCount", "10001")));
        Assert.Equal(3, fashion.Count);
        Assert.Contains(fashion, p => p.Contains("'root' is empty"));
        Assert.Contains(fashion, p => p.Contains("trainCount + validationCount must be at most 60000") && p.Contains("55000 + 10000"));
        Assert.Contains(fashion, p => p.Contains("testCount must be at most 10000,") && p.Contains("10001"));

        var gaussian = DatasetCatalog.Validate("gaussian-sign", Parameters(("dimension", "-3"), ("testCount", "0")));
        Assert.Equal(2, gaussian.Count);
        Assert.All(gaussian, p => Assert.StartsWith("dataset 'gaussian-sign': ", p));
    }

    [Theory]
    [InlineData("1,000")]
    [InlineData("1e3")]
    [InlineData("")]
    public void Integers_are_plain_invariant_culture_int32(string text)
    {
        var problems = DatasetCatalog.Validate("gaussian-sign", Parameters(("trainCount", text)));
        Assert.Contains("must be an integer", Assert.Single(problems));
        // A whole number past Int32 is too large, with the range (SpecMessagesTests).
        Assert.Contains("is too large: the allowed range is", Assert.Single(DatasetCatalog.Validate("gaussian-sign", Parameters(("trainCount", "99999999999")))));
    }

    [Fact]
    public void Loads_gaussian_sign_with_defaults_and_parameters()
    {
        var defaults = DatasetCatalog.Load("gaussian-sign", Parameters(), seed: 8);
        Assert.Equal([128L], defaults.SampleShape);
        Assert.Equal((2000, 500, 1000), (defaults.Train.Count, defaults.Validation.Count, defaults.Test.Count));

        var custom = DatasetCatalog.Load("gaussian-sign", Parameters(("dimension", "12"), ("trainCount", "40"), ("validationCount", "5"), ("testCount", "6")), seed: 8);
        var direct = GaussianSignDataset.Generate(12, 40, 5, 6, seed: 8);
        Assert.Equal(direct.Train.Inputs, custom.Train.Inputs);
        Assert.Equal(direct.Test.Labels, custom.Test.Labels);
    }

    [Fact]
    public void Loads_fashion_mnist_from_the_root_parameter_before_the_host_root()
    {
        // Told apart by size: 35 training items fit in the spec's folder (40) but not the host's (30).
        var specRoot = Directory.CreateDirectory(_folder.File("spec")).FullName;
        var hostRoot = Directory.CreateDirectory(_folder.File("host")).FullName;
        SyntheticFashionMnistFolder.Write(specRoot, trainCount: 40, testCount: 10, gzip: true);
        SyntheticFashionMnistFolder.Write(hostRoot, trainCount: 30, testCount: 10, gzip: false);
        var counts = Parameters(("trainCount", "20"), ("validationCount", "15"), ("testCount", "10"));

        var fromSpec = DatasetCatalog.Load("fashion-mnist", new Dictionary<string, string>(counts) { ["root"] = specRoot }, seed: 1, fashionMnistRoot: hostRoot);
        var fromHost = Assert.Throws<ArgumentException>(() => DatasetCatalog.Load("fashion-mnist", counts, seed: 1, fashionMnistRoot: hostRoot));

        Assert.Equal((20, 15, 10), (fromSpec.Train.Count, fromSpec.Validation.Count, fromSpec.Test.Count));
        Assert.Equal([1L, 28, 28], fromSpec.SampleShape);
        Assert.Equal(10, fromSpec.ClassCount);
        Assert.Contains("must be at most 30", fromHost.Message);
    }

    [Fact]
    public void Load_with_invalid_parameters_throws_listing_every_problem()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            DatasetCatalog.Load("gaussian-sign", Parameters(("dimension", "x"), ("bogus", "1")), seed: 0));

        Assert.Contains("unknown parameter 'bogus'", e.Message);
        Assert.Contains("'dimension' must be an integer", e.Message);
    }
}
