using ProbeGrid.Analysis.Data.ImageFolder;

namespace ProbeGrid.Bench;

/// <summary>
/// The image-folder data set's decode and transform rate: 256x256 JPEGs (quality 90, written by ImageFolderWriter)
/// to 224x224 ImageNet-normalised samples, the rate a silo can feed a forward pass at.
/// </summary>
public sealed class ImageFolderBenchmark : IBenchmark
{
    private static readonly (string Case, string Resize, int Parallelism)[] Cases =
    [
        ("resize 224 + crop 224, 1 thread", "224", 1),
        ("resize 224 + crop 224, every core", "224", 0),
        ("resize 256 (no-op) + crop 224, every core", "256", 0),
        ("resize 160 + crop 160 (smaller net input), every core", "160", 0),
    ];

    public string Name => "image-folder";

    public string Description => "image-folder decode + resize + crop + normalise, images/s, 256x256 JPEGs to 224 (and 160) crops";

    public IReadOnlyList<string> Notes(BenchSettings settings) =>
    [
        $"{Images(settings)} JPEGs of 256x256 (Fashion-MNIST upscaled, quality 90), loaded as one train split with normalize=imagenet",
        "every core = ImageFolderLoadOptions.Parallelism 0 (one decoder per logical CPU); files are in the page cache after the warm-up run",
    ];

    private static int Images(BenchSettings settings) => settings.Pick(600, 120);

    public IReadOnlyList<BenchResult> Run(BenchSettings settings)
    {
        var folder = Path.Combine(Path.GetTempPath(), "probegrid-bench-images-" + Guid.NewGuid().ToString("N"));
        try
        {
            var perClass = Images(settings) / 10;
            ImageFolderWriter.Write(folder, 256, [("", perClass)], ImageFileFormat.Jpeg, jpegQuality: 90);
            var results = new List<BenchResult>();
            foreach (var (name, resize, parallelism) in Cases)
            {
                try
                {
                    var crop = resize == "160" ? "160" : "224";
                    var parameters = new Dictionary<string, string>
                    {
                        ["root"] = folder, ["trainCount"] = $"{perClass * 10 - 2}", ["validationCount"] = "1", ["testCount"] = "1",
                        ["resize"] = resize, ["crop"] = crop, ["normalize"] = "imagenet",
                    };
                    var entry = new ImageFolderCatalogEntry(new ImageFolderLoadOptions(parallelism));
                    var timing = Timing.Measure(() => entry.Load(parameters, seed: 0, dataRoot: null), settings);
                    results.Add(new BenchResult(name, timing, [new Metric("images/s", perClass * 10 / timing.Median), new Metric("ms/image", timing.Median / (perClass * 10) * 1e3)]));
                }
                catch (Exception e) when (e is IOException or ArgumentException)
                {
                    results.Add(BenchResult.Failure(name, e));
                }
            }
            return results;
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }
}
