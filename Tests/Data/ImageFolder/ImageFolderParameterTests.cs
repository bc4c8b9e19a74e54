using ProbeGrid.Analysis.Data;
using ProbeGrid.Analysis.Data.ImageFolder;

namespace ProbeGrid.Tests.Data.ImageFolder;

/// <summary>image-folder's parameters: checked all at once without the disk; shape and sizes from the parameters alone.</summary>
public sealed class ImageFolderParameterTests
{
    /// <summary>The pairs as parameters; a later pair overrides an earlier one of the same name.</summary>
    private static Dictionary<string, string> Parameters(params (string Key, string Value)[] pairs)
    {
        var parameters = new Dictionary<string, string>();
        foreach (var (key, value) in pairs) parameters[key] = value;
        return parameters;
    }

    private static readonly (string, string)[] Valid =
        [("root", "/nowhere/imagenet"), ("train", "train"), ("validation", "val"), ("test", "val"), ("trainCount", "1000"), ("validationCount", "100"), ("testCount", "100"), ("crop", "224")];

    [Fact]
    public void ShapeAndSizesComeFromTheParametersWithoutTheFolder()
    {
        var parameters = Parameters([.. Valid, ("resize", "256"), ("normalize", "imagenet")]);
        Assert.Empty(DatasetCatalog.Validate("image-folder", parameters));
        Assert.Equal([3L, 224, 224], DatasetCatalog.SampleShape("image-folder", parameters));
        Assert.Equal([1000, 100, 100], DatasetCatalog.SplitSizes("image-folder", parameters));
        Assert.Equal([1L, 32, 48], DatasetCatalog.SampleShape("image-folder", Parameters([.. Valid, ("crop", "32x48"), ("channels", "1")])));
        Assert.Equal(TargetKind.ClassIndex, DatasetCatalog.TargetKindOf("image-folder"));
        // A stated class count needs no folder.
        Assert.Equal(1000, DatasetCatalog.ClassCount("image-folder", Parameters([.. Valid, ("classCount", "1000")])));
    }

    [Fact]
    public void EveryProblemIsListedWithItsFix()
    {
        var problems = DatasetCatalog.Validate("image-folder", Parameters(
            ("train", "/abs/train"), ("validation", "../val"), ("trainCount", "0"), ("validationCount", "x"),
            ("resize", "0"), ("channels", "2"), ("mean", "0.5,0.5"), ("onCorrupt", "ignore"), ("classCount", "-1")));
        string[] expected =
        [
            "dataset 'image-folder': parameter 'root' is required",
            "dataset 'image-folder': parameter 'train' '/abs/train' must be a folder relative to 'root'",
            "dataset 'image-folder': parameter 'validation' '../val' must stay inside 'root': remove the '..'",
            "dataset 'image-folder': parameter 'trainCount' '0' is too small",
            "dataset 'image-folder': parameter 'validationCount' must be a whole number of images, at least 1 (got 'x')",
            "dataset 'image-folder': parameter 'testCount' is required",
            "dataset 'image-folder': parameter 'resize' must be N or HxW",
            "dataset 'image-folder': parameter 'crop' is required",
            "dataset 'image-folder': parameter 'channels' must be 3 (RGB) or 1",
            "dataset 'image-folder': parameters 'mean' and 'std' go together",
            "dataset 'image-folder': parameter 'onCorrupt' must be fail",
            "dataset 'image-folder': parameter 'classCount' '-1' is too small",
        ];
        Assert.Equal(expected.Length, problems.Count);
        for (var i = 0; i < expected.Length; i++) Assert.StartsWith(expected[i], problems[i]);
    }

    [Theory]
    [InlineData("normalize=imagenet mean=0.5 std=0.5", "parameter 'normalize=imagenet' sets the mean and std: leave out 'mean' and 'std', or 'normalize'")]
    [InlineData("normalize=imagenet channels=1", "parameter 'normalize=imagenet' has three channels' statistics but 'channels' is 1")]
    [InlineData("normalize=cifar", "parameter 'normalize' must be imagenet (mean 0.485,0.456,0.406, std 0.229,0.224,0.225) or none")]
    [InlineData("mean=0.5,0.5 std=0.2", "parameter 'mean' has 2 values but there are 3 channels: give one per channel, or one for all")]
    [InlineData("mean=0.5 std=0", "parameter 'std' must be comma-separated positive numbers, one per channel (got '0')")]
    [InlineData("crop=3x4x5", "parameter 'crop' must be N or HxW with whole numbers from 1 to 65536 (got '3x4x5')")]
    [InlineData("crop=30000", "one sample would be 3 x 30000 x 30000 = 2,700,000,000 values, more than one array holds (2,147,483,591): crop smaller")]
    public void NormalisationAndSizeProblems(string spec, string expected)
    {
        var parameters = Parameters(Valid);
        foreach (var pair in spec.Split(' ')) parameters[pair.Split('=')[0]] = pair.Split('=')[1];
        var problem = Assert.Single(DatasetCatalog.Validate("image-folder", parameters));
        Assert.Contains(expected, problem);
    }

    [Fact]
    public void ClassCountListsTheTrainFoldersClassesAndNamesAMissingOne()
    {
        using var folder = new TemporaryFolder();
        foreach (var name in new[] { "b", "a", ".hidden", "c" }) Directory.CreateDirectory(Path.Combine(folder.Path, "train", name));
        File.WriteAllText(Path.Combine(folder.Path, "train", "stray.png"), "a file is no class");
        var parameters = Parameters([.. Valid, ("root", folder.Path)]);
        Assert.Equal(4, DatasetCatalog.ClassCount("image-folder", parameters)); // hidden folders are classes, as os.scandir sees them
        Assert.Equal([".hidden", "a", "b", "c"], ImageFolderListing.ClassNames(Path.Combine(folder.Path, "train")));
        var missing = Assert.Throws<ImageFolderException>(() => DatasetCatalog.ClassCount("image-folder", Parameters(Valid)));
        Assert.Contains("folder '/nowhere/imagenet/train' does not exist", missing.Message);
    }
}
