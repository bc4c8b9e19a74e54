using ProbeGrid.Analysis.Activations;
using ProbeGrid.Analysis.Data;
using ProbeGrid.Analysis.Data.ImageFolder;
using ProbeGrid.Analysis.Zoo;
using TorchSharp;

namespace ProbeGrid.Bench;

/// <summary>
/// The image-folder data set: its decode and transform rate (256x256 JPEGs, quality 90, written by ImageFolderWriter, to 224x224
/// ImageNet-normalised samples), and what each way of holding a split costs a resnet18 forward pass at 224 that reads it: floats in
/// memory, bytes normalised per batch, streamed from the files with 2 batches decoded ahead, and streamed without prefetch.
/// </summary>
public sealed class ImageFolderBenchmark : IBenchmark
{
    private const int ForwardBatch = 32;

    private static readonly (string Case, string Resize, int Parallelism)[] DecodeCases =
    [
        ("decode: resize 224 + crop 224, 1 thread", "224", 1),
        ("decode: resize 224 + crop 224, every core", "224", 0),
        ("decode: resize 256 (no-op) + crop 224, every core", "256", 0),
        ("decode: resize 160 + crop 160 (smaller net input), every core", "160", 0),
    ];

    private static readonly (string Case, ImageFolderStorage Storage, int Ahead)[] ForwardCases =
    [
        ("resnet18 forward: (a) floats in memory", ImageFolderStorage.Floats, 0),
        ("resnet18 forward: (b) bytes in memory, normalised per batch", ImageFolderStorage.Bytes, 0),
        ("resnet18 forward: (c) streamed, 2 batches decoded ahead", ImageFolderStorage.Streamed, 2),
        ("resnet18 forward: (d) streamed, no prefetch (decode, then forward)", ImageFolderStorage.Streamed, 0),
    ];

    public string Name => "image-folder";

    public string Description => "image-folder decode + transform images/s (256x256 JPEGs to 224 crops); resnet18 forward at 224 over floats, bytes, streamed with and without prefetch";

    public IReadOnlyList<string> Notes(BenchSettings settings) =>
    [
        $"decode: {DecodeImages(settings)} JPEGs of 256x256 (Fashion-MNIST upscaled, quality 90), loaded as one train split with normalize=imagenet; " +
        "every core = ImageFolderLoadOptions.Parallelism 0 (one decoder per logical CPU); files are in the page cache after the warm-up run",
        $"forward: {ForwardImages(settings)} of those JPEGs, resize 256 (no-op) + crop 224, imagenet; untrained resnet18 (1000 classes), eval, " +
        $"ActivationExtractor over the train split (taps avgpool and logits, flatten), batch {ForwardBatch}, the four storages in alternation; " +
        "images/s from the median forward pass (a streamed split decodes during it); cpu ms/image: the process's CPU time per image, mean of the timed runs " +
        "(what the storage costs whatever else runs on the machine); data wait %: the share of one more forward pass spent waiting for the next batch " +
        "(the loop timed around the batches); load s: the one-off load a silo pays once per data set " +
        "(floats and bytes decode everything, streamed only reads headers); held MiB: the split's samples between batches (IInputSource.HeldBytes); " +
        "peak MiB: peak working set during load + one forward pass over the working set before it (model and process included)",
    ];

    private static int DecodeImages(BenchSettings settings) => settings.Pick(600, 120);

    private static int ForwardImages(BenchSettings settings) => settings.Pick(128, 32);

    public IReadOnlyList<BenchResult> Run(BenchSettings settings)
    {
        var folder = Path.Combine(Path.GetTempPath(), "probegrid-bench-images-" + Guid.NewGuid().ToString("N"));
        try
        {
            var perClass = DecodeImages(settings) / 10;
            ImageFolderWriter.Write(folder, 256, [("", perClass)], ImageFileFormat.Jpeg, jpegQuality: 90);
            var results = new List<BenchResult>();
            foreach (var (name, resize, parallelism) in DecodeCases)
            {
                try
                {
                    var crop = resize == "160" ? "160" : "224";
                    var parameters = Parameters(folder, perClass * 10 - 2, resize, crop);
                    var entry = new ImageFolderCatalogEntry(new ImageFolderLoadOptions(parallelism));
                    var timing = Timing.Measure(() => entry.Load(parameters, seed: 0, dataRoot: null), settings);
                    results.Add(new BenchResult(name, timing, [new Metric("images/s", perClass * 10 / timing.Median), new Metric("ms/image", timing.Median / (perClass * 10) * 1e3)]));
                }
                catch (Exception e) when (e is IOException or ArgumentException)
                {
                    results.Add(BenchResult.Failure(name, e));
                }
            }
            results.AddRange(Forward(folder, settings));
            return results;
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    private static Dictionary<string, string> Parameters(string folder, int train, string resize, string crop) => new()
    {
        ["root"] = folder, ["trainCount"] = $"{train}", ["validationCount"] = "1", ["testCount"] = "1",
        ["resize"] = resize, ["crop"] = crop, ["normalize"] = "imagenet",
    };

    /// <summary>
    /// The share of a forward pass over <paramref name="split"/> spent waiting for the next batch's inputs (decoding it, for a
    /// streamed split without prefetch; only what the background decoder has not finished, with it): the forward pass's
    /// loop as the extractor runs it, timed around the batches. A share, so it reads the same on a busy machine.
    /// </summary>
    private static double DataWait(TappedModel model, LabeledData split)
    {
        model.eval();
        using var noGrad = torch.no_grad();
        var (waiting, total) = (TimeSpan.Zero, System.Diagnostics.Stopwatch.StartNew());
        using var batches = split.InputBatches(ForwardBatch).GetEnumerator();
        while (true)
        {
            var asked = total.Elapsed;
            if (!batches.MoveNext()) break;
            waiting += total.Elapsed - asked;
            using var scope = torch.NewDisposeScope();
            model.Forward(batches.Current.ToTensor(), null);
        }
        return 100 * waiting / total.Elapsed;
    }

    /// <summary>The four storages under one resnet18: each loaded and run once alone for its memory, then timed in alternation.</summary>
    private static IEnumerable<BenchResult> Forward(string folder, BenchSettings settings)
    {
        var images = ForwardImages(settings);
        var parameters = Parameters(folder, images, "256", "224");
        using var model = ModelZoo.Create("resnet18", new Dictionary<string, string>(), [3, 224, 224], 1000, seed: 1);
        var reduction = Reduction.Parse(Reduction.Flatten, 0, 0);
        string[] taps = ["avgpool", "logits"];
        void Extract(LabeledData split) => ActivationExtractor.Extract(model, split, taps, reduction, ForwardBatch, CancellationToken.None);

        var loaded = new List<(double LoadSeconds, double PeakMiB, double HeldMiB, LabeledData Train)>();
        foreach (var (_, storage, ahead) in ForwardCases)
        {
            var entry = new ImageFolderCatalogEntry(new ImageFolderLoadOptions(0, Storage: storage, PrefetchBatches: ahead));
            MemoryProbe.ReleaseFreeMemory();
            var before = MemoryProbe.WorkingSetMiB();
            MemoryProbe.ResetPeak();
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var train = entry.Load(parameters, seed: 0, dataRoot: null).Train;
            var loadSeconds = watch.Elapsed.TotalSeconds;
            Extract(train);
            loaded.Add((loadSeconds, MemoryProbe.PeakWorkingSetMiB() - before, MemoryProbe.ToMiB(train.InputBytes), train));
        }

        var timings = Timing.MeasureInterleaved([.. loaded.Select(l => (Action)(() => Extract(l.Train)))], settings);
        var waits = loaded.Select(l => DataWait(model, l.Train)).ToList();
        for (var i = 0; i < ForwardCases.Length; i++)
        {
            var (load, peak, held, _) = loaded[i];
            yield return new BenchResult(ForwardCases[i].Case, timings[i],
            [
                new Metric("images/s", images / timings[i].Median), new Metric("cpu ms/image", 1e3 * timings[i].CpuSeconds.Average() / images),
                new Metric("data wait %", waits[i]), new Metric("load s", load), new Metric("held MiB", held), new Metric("peak MiB", peak),
            ]);
        }
    }
}
