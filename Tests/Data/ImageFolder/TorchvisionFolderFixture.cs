using ProbeGrid.Analysis.Data;
using ProbeGrid.Analysis.Data.ImageFolder;

namespace ProbeGrid.Tests.Data.ImageFolder;

/// <summary>
/// The peer's small mixed folder (data/all), a val folder of one image per class copied from it, torchvision's reads
/// of data/all through two pipelines, and ProbeGrid's loads of the same: made once for the test class.
/// </summary>
public sealed class TorchvisionFolderFixture : IDisposable
{
    /// <summary>RGB: Resize(24), CenterCrop(20), ImageNet normalisation.</summary>
    public const int RgbResize = 24, RgbCrop = 20;

    /// <summary>Grey: no resize, CenterCrop(40) (pads the smaller images), mean 0.5, std 0.25.</summary>
    public const int GreyCrop = 40;

    private readonly TemporaryFolder temporary = new();

    public TorchvisionFolderFixture()
    {
        Root = Path.Combine(temporary.Path, "data");
        All = Path.Combine(Root, "all");
        TorchvisionPeer.Make(All);
        foreach (var classFolder in Directory.GetDirectories(All))
        {
            var target = Path.Combine(Root, "val", Path.GetFileName(classFolder));
            Directory.CreateDirectory(target);
            var first = Directory.GetFiles(classFolder).Order(StringComparer.Ordinal).First(f => !f.EndsWith(".txt", StringComparison.Ordinal));
            File.Copy(first, Path.Combine(target, Path.GetFileName(first)));
        }
        Rgb = TorchvisionPeer.Read(All, Path.Combine(temporary.Path, "rgb"), RgbResize, RgbCrop, "0.485,0.456,0.406", "0.229,0.224,0.225", 3);
        Grey = TorchvisionPeer.Read(All, Path.Combine(temporary.Path, "grey"), 0, GreyCrop, "0.5", "0.25", 1);
        RgbLoad = Load(new() { ["resize"] = $"{RgbResize}", ["crop"] = $"{RgbCrop}", ["normalize"] = "imagenet" });
        GreyLoad = Load(new() { ["crop"] = $"{GreyCrop}", ["channels"] = "1", ["mean"] = "0.5", ["std"] = "0.25" });
    }

    public string Root { get; }

    public string All { get; }

    public PeerRead Rgb { get; }

    public PeerRead Grey { get; }

    public DatasetSplits RgbLoad { get; }

    public DatasetSplits GreyLoad { get; }

    /// <summary>All twelve images as the train split, in ImageFolder's order (a folder of its own, asked whole); validation and test from val.</summary>
    public Dictionary<string, string> Parameters(Dictionary<string, string> transform)
    {
        var parameters = new Dictionary<string, string>(transform)
        {
            ["root"] = Root, ["train"] = "all", ["validation"] = "val", ["test"] = "val",
            ["trainCount"] = "12", ["validationCount"] = "1", ["testCount"] = "2",
        };
        return parameters;
    }

    public DatasetSplits Load(Dictionary<string, string> transform, int parallelism = 2) =>
        new ImageFolderCatalogEntry(new ImageFolderLoadOptions(parallelism)).Load(Parameters(transform), seed: 5, dataRoot: null);

    public void Dispose() => temporary.Dispose();
}
