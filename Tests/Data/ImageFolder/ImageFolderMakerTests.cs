using ProbeGrid.Analysis.Data;
using ProbeGrid.Analysis.Data.ImageFolder;
using ProbeGrid.Tests.Cli;

namespace ProbeGrid.Tests.Data.ImageFolder;

/// <summary>`probegrid data image-folder` and <see cref="ImageFolderWriter"/>: what they write, torchvision and ProbeGrid read alike.</summary>
public sealed class ImageFolderMakerTests
{
    private static readonly string[] SortedClasses = ["ankle-boot", "bag", "coat", "dress", "pullover", "sandal", "shirt", "sneaker", "t-shirt", "trouser"];

    [Fact]
    public void TheCommandWritesSplitFoldersThatTorchvisionAndProbeGridReadIdentically()
    {
        using var folder = new TemporaryFolder();
        var made = Path.Combine(folder.Path, "made");
        var (code, _, errors) = CliProcess.Run(folder.Path, TimeSpan.FromMinutes(2),
            "data", "image-folder", "--out", made, "--size", "40", "--per-class", "3", "--splits", "train=2,val=1");
        Assert.True(code == 0, errors);
        Assert.Equal(SortedClasses, Directory.GetDirectories(Path.Combine(made, "train")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(["0.png", "1.png"], Directory.GetFiles(Path.Combine(made, "train", "coat")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Single(Directory.GetFiles(Path.Combine(made, "val", "coat")));

        var peer = TorchvisionPeer.Read(Path.Combine(made, "train"), Path.Combine(folder.Path, "peer"), 0, 40, "0", "1", 3);
        Assert.Equal(SortedClasses, peer.Classes);
        var data = Load(made);
        Assert.Equal(peer.Targets, data.Train.Labels);
        Assert.Equal(peer.Pil, data.Train.Inputs); // PNG, no resampling: the very same floats
        // The images are Fashion-MNIST's first items of each class, upscaled and grey in all three channels.
        var coat = data.Train.Inputs.AsSpan(2 * 2 * data.Train.SampleSize, data.Train.SampleSize);
        Assert.Equal(coat[..1600].ToArray(), coat[1600..3200].ToArray());
    }

    [Fact]
    public void JpegFoldersReadAsTorchvisionReadsThem()
    {
        using var folder = new TemporaryFolder();
        var made = Path.Combine(folder.Path, "made");
        Assert.Equal(40, ImageFolderWriter.Write(made, 48, [("train", 3), ("val", 1)], ImageFileFormat.Jpeg, jpegQuality: 85));
        var peer = TorchvisionPeer.Read(Path.Combine(made, "train"), Path.Combine(folder.Path, "peer"), 32, 28, "0.5", "0.5", 3);
        var data = Load(made, ("resize", "32"), ("crop", "28"), ("mean", "0.5"), ("std", "0.5"), ("trainCount", "30"));
        Assert.Equal(peer.Targets, data.Train.Labels);
        // Skia's and PIL's libjpeg-turbo decode alike (measured: identical); PIL's 8-bit resize is within a level of torch's.
        var worst = peer.Tensor.Zip(data.Train.Inputs, (a, b) => Math.Abs(a - b) * 0.5 * 255).Max();
        Assert.True(worst <= 1.001, $"JPEG samples differ from torchvision's by {worst} levels of 1/255");
        var worstPil = peer.Pil.Zip(data.Train.Inputs, (a, b) => Math.Abs(a - b) * 0.5 * 255).Max();
        Assert.True(worstPil <= 2.001, $"JPEG samples differ from torchvision's PIL pipeline by {worstPil} levels of 1/255");
    }

    [Fact]
    public void BadArgumentsAreRefusedWithTheirFix()
    {
        using var folder = new TemporaryFolder();
        var (code, output, errors) = CliProcess.Run(folder.Path, TimeSpan.FromMinutes(2),
            "data", "image-folder", "--out", Path.Combine(folder.Path, "x"), "--format", "gif", "--splits", "train=5,val", "--per-class", "9");
        Assert.Equal(2, code);
        var text = output + errors;
        Assert.Contains("--format 'gif' must be png or jpeg", text);
        Assert.Contains("--splits 'val' must be name=count", text);

        File.WriteAllText(Path.Combine(folder.Path, "x.txt"), "occupied");
        var e = Assert.Throws<ArgumentException>(() => ImageFolderWriter.Write(folder.Path, 0, [("", 70_000)], ImageFileFormat.Png));
        Assert.Contains("size 0 must be from 1 to 4096 pixels", e.Message);
        Assert.Contains("is not empty: give a new or empty folder", e.Message);
    }

    private static DatasetSplits Load(string root, params (string Key, string Value)[] more)
    {
        var parameters = new Dictionary<string, string>
        {
            ["root"] = root, ["train"] = "train", ["validation"] = "val", ["test"] = "val",
            ["trainCount"] = "20", ["validationCount"] = "5", ["testCount"] = "5", ["crop"] = "40",
        };
        foreach (var (key, value) in more) parameters[key] = value;
        Assert.Empty(DatasetCatalog.Validate("image-folder", parameters));
        return DatasetCatalog.Load("image-folder", parameters, seed: 0);
    }
}
