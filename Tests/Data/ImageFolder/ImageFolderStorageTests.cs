using System.Collections.Immutable;
using ProbeGrid.Analysis.Activations;
using ProbeGrid.Analysis.Data;
using ProbeGrid.Analysis.Data.ImageFolder;
using ProbeGrid.Analysis.Zoo;
using ProbeGrid.Grains.Analyses;
using ProbeGrid.Grains.Compute;
using ProbeGrid.Grains.Models;
using ProbeGrid.Grains.Planning;
using ProbeGrid.GrainsInterfaces.Specs;
using ProbeGrid.Tests.Activations;
using ProbeGrid.Tests.Grid;
using SkiaSharp;
using TorchSharp;

namespace ProbeGrid.Tests.Data.ImageFolder;

/// <summary>
/// The three ways an image folder holds its samples (floats, bytes normalised per batch, streamed from the files with prefetch)
/// give the same samples, batches and values, bit for bit; the budget picks them; unreadable images behave as documented when
/// streamed; and a checkpoint's probe job over a streamed folder gives the probes of the in-memory one.
/// </summary>
public sealed class ImageFolderStorageTests(ItemFolders folders) : IClassFixture<ItemFolders>
{
    private static Dictionary<string, string> Parameters(string root, int train, int validation, int test, params (string Key, string Value)[] more)
    {
        var parameters = new Dictionary<string, string>
        {
            ["root"] = root, ["trainCount"] = $"{train}", ["validationCount"] = $"{validation}", ["testCount"] = $"{test}",
        };
        foreach (var (key, value) in more) parameters[key] = value;
        return parameters;
    }

    private static DatasetSplits Load(Dictionary<string, string> parameters, ImageFolderStorage storage, int ahead = 2, int parallelism = 2) =>
        new ImageFolderCatalogEntry(new ImageFolderLoadOptions(parallelism, Storage: storage, PrefetchBatches: ahead)).Load(parameters, seed: 4, null);

    private static LabeledData[] Splits(DatasetSplits data) => [data.Train, data.Validation, data.Test];

    /// <summary>Every sample's floats, read the way the forward pass reads them: batch by batch, in order.</summary>
    private static float[] Streamed(LabeledData split, int batchSize)
    {
        var values = new List<float>();
        var next = 0;
        foreach (var batch in split.InputBatches(batchSize))
        {
            Assert.Equal(next, batch.Start);
            Assert.Equal(Math.Min(batchSize, split.Count - next), batch.Count);
            values.AddRange(batch.Inputs);
            next += batch.Count;
        }
        Assert.Equal(split.Count, next);
        return [.. values];
    }

    private static float[] Values(torch.Tensor tensor)
    {
        using (tensor) return tensor.contiguous().data<float>().ToArray();
    }

    public static TheoryData<string> Transforms => new()
    {
        "resize=40 crop=36 normalize=imagenet", // upscaled then cropped: the resize's rounding
        "crop=32 channels=1 mean=0.5 std=0.25", // grey, padded: 28x28 images in a 32x32 crop
    };

    [Theory]
    [MemberData(nameof(Transforms))]
    public void Floats_bytes_and_streamed_splits_give_the_same_samples_batches_and_values(string transform)
    {
        var parameters = Parameters(folders.Flat, 60, 25, 30, [.. transform.Split(' ').Select(p => (p.Split('=')[0], p.Split('=')[1]))]);
        var floats = Load(parameters, ImageFolderStorage.Floats);
        var loads = new[]
        {
            (Name: "bytes", Data: Load(parameters, ImageFolderStorage.Bytes)),
            (Name: "streamed", Data: Load(parameters, ImageFolderStorage.Streamed)),
            (Name: "streamed without prefetch", Data: Load(parameters, ImageFolderStorage.Streamed, ahead: 0, parallelism: 1)),
        };
        Assert.Null(floats.Train.Source);
        Assert.IsType<CachedPixels>(loads[0].Data.Train.Source);
        Assert.IsType<StreamedImages>(loads[1].Data.Train.Source);
        foreach (var (name, data) in loads)
        {
            for (var s = 0; s < 3; s++)
            {
                var (expected, actual) = (Splits(floats)[s], Splits(data)[s]);
                Assert.Equal(expected.Labels, actual.Labels);
                Assert.Equal(expected.SampleShape, actual.SampleShape);
                // Exactly: the same bits, whichever way they were held (Assert.Equal on float[] compares values exactly).
                Assert.True(expected.Inputs.SequenceEqual(Streamed(actual, 7)), $"{name}, split {s}: batches differ from the floats");
                Assert.Equal(expected.Inputs[(5 * expected.SampleSize)..(14 * expected.SampleSize)], Values(actual.InputBatch(5, 9)));
                Assert.Equal(expected.Slice(3, 4).Inputs, actual.Slice(3, 4).Inputs);
                Assert.Equal(expected.SampleInputs(11), actual.SampleInputs(11));
            }
            Assert.Equal(10, data.ClassCount);
            Assert.Empty(data.Skipped);
        }
        // The bytes are a quarter of the floats; a streamed split holds no samples between batches.
        Assert.Equal(floats.Train.InputBytes / 4, loads[0].Data.Train.InputBytes);
        Assert.Equal(0, loads[1].Data.Train.InputBytes);
    }

    [Fact]
    public void A_split_not_held_as_floats_refuses_its_whole_input_array_naming_how_to_read_it()
    {
        var data = Load(Parameters(folders.Flat, 20, 5, 5, ("crop", "28")), ImageFolderStorage.Streamed);
        var e = Assert.Throws<InvalidOperationException>(() => data.Train.Inputs);
        Assert.Contains("the 20 samples of this split are streamed from 20 image files, not one float array: read them a batch at a time", e.Message);
        Assert.Contains("ProbeGrid:Compute:DatasetMemoryBytes", e.Message);
        // What complexity and discarding take (the first samples, one sample) is read from the files.
        Assert.Equal(3 * 28 * 28 * 2, data.Train.Slice(0, 2).Inputs.Length);
    }

    [Fact]
    public void The_budget_picks_floats_then_bytes_then_streaming_and_the_memory_estimate_follows()
    {
        // 200 samples of 3 x 36 x 36 = 3888 values: 3,110,400 bytes as floats, 777,600 as bytes.
        var parameters = Parameters(folders.Flat, 100, 50, 50, ("resize", "40"), ("crop", "36"));
        ImageFolderStorage StorageAt(long budget) => new ImageFolderCatalogEntry(new ImageFolderLoadOptions(2, budget)).StorageOf(parameters);
        Assert.Equal(ImageFolderStorage.Floats, StorageAt(0));
        Assert.Equal(ImageFolderStorage.Floats, StorageAt(3_110_400));
        Assert.Equal(ImageFolderStorage.Bytes, StorageAt(3_110_399));
        Assert.Equal(ImageFolderStorage.Bytes, StorageAt(777_600));
        Assert.Equal(ImageFolderStorage.Streamed, StorageAt(777_599));

        IDataset Entry(long budget) => new ImageFolderCatalogEntry(new ImageFolderLoadOptions(2, budget));
        Assert.Equal(3_110_400, Entry(0).InputBytes(parameters, 16));
        Assert.Equal(777_600, Entry(1_000_000).InputBytes(parameters, 16));
        Assert.Equal(3 * 16 * 3888 * 4, Entry(100_000).InputBytes(parameters, 16)); // two batches ahead and the one read
        Assert.IsType<StreamedImages>(Entry(100_000).Load(parameters, 1, null).Test.Source);
        // Every other data set counts its floats, as the grid's estimates always did.
        var gaussian = GridTestRun.DatasetParameters(16, 400, 100, 200);
        Assert.Equal(700 * 16 * 4, DatasetRegistry.BuiltIn.Get(DatasetCatalog.GaussianSignName).InputBytes(gaussian, 16));
    }

    [Fact]
    public void Streamed_with_fail_a_bad_header_fails_the_load_and_damage_past_it_fails_the_batch_that_reaches_it()
    {
        using var scratch = folders.Scratch();
        var root = ItemFolders.Copy(folders.Flat, scratch.Path);
        var parameters = Parameters(root, 60, 20, 20, ("crop", "28"));
        var clean = Load(parameters, ImageFolderStorage.Floats);
        var files = ((StreamedImages)Load(parameters, ImageFolderStorage.Streamed).Train.Source!).Files;

        // Text in place of an image: found by the header check when loading, as the in-memory load finds it.
        File.WriteAllText(files[30], "not a png");
        var e = Assert.Throws<ImageFolderException>(() => Load(parameters, ImageFolderStorage.Streamed));
        Assert.Contains($"1 of the images drawn cannot be decoded (onCorrupt=fail): '{files[30]}' is not a JPEG, PNG, BMP or WebP image", e.Message);
        File.Copy(Path.Combine(folders.Flat, Path.GetRelativePath(root, files[30])), files[30], overwrite: true);

        // A JPEG cut short after its header: the load passes, the batch holding it fails naming it; the batches before it are whole.
        var damaged = TruncatedAfterHeader(files[30]);
        Assert.Null(ImageDecoder.HeaderProblem(damaged));
        var streamed = Load(parameters, ImageFolderStorage.Streamed);
        var read = new List<SampleBatch>();
        var failed = Assert.Throws<ImageFolderException>(() =>
        {
            foreach (var batch in streamed.Train.InputBatches(8)) read.Add(batch);
        });
        Assert.Equal([0, 8, 16], read.Select(b => b.Start)); // sample 30 is in the batch at 24
        Assert.Equal(clean.Train.Inputs[..(24 * clean.Train.SampleSize)], read.SelectMany(b => b.Inputs));
        Assert.Contains($"1 image(s) of a streamed split cannot be decoded (onCorrupt=fail): '{damaged}' is truncated", failed.Message);
        Assert.Contains("or set onCorrupt=skip, which decodes every drawn image once when loading", failed.Message);
        // The in-memory load decodes everything and refuses the folder at once.
        Assert.Contains($"'{damaged}' is truncated", Assert.Throws<ImageFolderException>(() => Load(parameters, ImageFolderStorage.Bytes)).Message);
    }

    [Fact]
    public void Streamed_with_skip_decodes_each_image_once_when_loading_and_draws_the_in_memory_replacements()
    {
        using var scratch = folders.Scratch();
        var root = ItemFolders.Copy(folders.Flat, scratch.Path);
        var parameters = Parameters(root, 60, 20, 20, ("crop", "28"), ("onCorrupt", "skip"));
        var files = ((StreamedImages)Load(parameters, ImageFolderStorage.Streamed).Validation.Source!).Files;
        File.WriteAllText(files[3], "not a png"); // a bad header
        var damaged = TruncatedAfterHeader(files[12]); // damage past the header, which only decoding finds

        var inMemory = Load(parameters, ImageFolderStorage.Floats);
        var streamed = Load(parameters, ImageFolderStorage.Streamed);
        Assert.Equal(2, inMemory.Skipped.Count);
        Assert.Equal(inMemory.Skipped, streamed.Skipped);
        Assert.Contains(streamed.Skipped, s => s.StartsWith(damaged + ": is truncated", StringComparison.Ordinal));
        for (var s = 0; s < 3; s++)
        {
            Assert.Equal(Splits(inMemory)[s].Labels, Splits(streamed)[s].Labels);
            Assert.True(Splits(inMemory)[s].Inputs.SequenceEqual(Streamed(Splits(streamed)[s], 16)), $"split {s} differs");
        }
        var replaced = ((StreamedImages)streamed.Validation.Source!).Files;
        Assert.DoesNotContain(damaged, replaced);
        Assert.DoesNotContain(files[3], replaced);

        // A file that breaks after the load is named when its batch is read, with the fix.
        TruncatedAfterHeader(replaced[0], keepName: true);
        var e = Assert.Throws<ImageFolderException>(() => Streamed(streamed.Validation, 16));
        Assert.Contains($"'{replaced[0]}' is truncated", e.Message);
        Assert.Contains("decoded when the folder was loaded but no longer do", e.Message);
    }

    [Fact]
    public void A_checkpoints_probe_job_over_a_streamed_folder_gives_the_probes_over_floats_and_its_estimate_counts_the_batches()
    {
        using var scratch = folders.Scratch();
        var spec = SweepSpecReader.Parse($$"""
            {
              "model": { "architecture": "mlp", "parameters": { "depth": 2, "width": 16 } },
              "dataset": { "name": "image-folder", "parameters": { "root": "{{folders.Flat}}", "trainCount": 120, "validationCount": 40,
                           "testCount": 40, "resize": "20", "crop": 16, "channels": 1, "mean": "0.5", "std": "0.25" }, "seed": 3 },
              "layers": "*",
              "resources": { "device": "cpu", "batchSize": 32 },
              "analyses": [ { "kind": "probe", "parameters": { "optimizer": "optimal", "l2Grid": "1e-3,1e-1" } } ]
            }
            """);
        var plan = new SweepPlanner(new DataRoots([Path.GetDirectoryName(folders.Flat)!]), scratch.Path).Plan(spec, "stream");
        var settings = (ProbeSettings)plan.Settings[0];

        Dictionary<(string Layer, string Metric), double> Probes(ImageFolderStorage storage, string cache)
        {
            var models = CatalogWith(new ImageFolderLoadOptions(2, Storage: storage));
            var inputs = JobInputs.Of(plan.WorkFor(0, 0, plan.Layers), models);
            var memory = ProbeMemoryPlan.For(inputs, plan.Layers, settings, long.MaxValue);
            var result = ProbeJob.Run(new ActivationJob(new DatasetProvider(models: models), new ActivationCache(Path.Combine(scratch.Path, cache))),
                inputs, memory, settings, null, torch.CPU, CancellationToken.None);
            return plan.Layers.SelectMany(l => ProbeAnalysis.Metrics(result.For(l.Name), inputs.Checkpoint, l, 0)).ToDictionary(m => (m.Layer, m.Metric), m => m.Value);
        }

        var floats = Probes(ImageFolderStorage.Floats, "floats");
        var streamed = Probes(ImageFolderStorage.Streamed, "streamed");
        Assert.Equal(plan.Layers.Length * 12, floats.Count);
        Assert.Equal(floats.Keys.Order(), streamed.Keys.Order());
        // The same inputs in the same batches: the forward passes may differ only in float32's last bits (alignment).
        foreach (var (key, value) in floats)
            Assert.True(Math.Abs(value - streamed[key]) <= 1e-4 * Math.Max(1, Math.Abs(value)), $"{key}: {value} in memory, {streamed[key]} streamed");

        // The job's estimate counts the batches a streamed split holds (3 of 32 samples of 256 floats), not the floats of every sample.
        var streamedInputs = JobInputs.Of(plan.WorkFor(0, 0, plan.Layers), CatalogWith(new ImageFolderLoadOptions(2, Storage: ImageFolderStorage.Streamed)));
        var floatInputs = JobInputs.Of(plan.WorkFor(0, 0, plan.Layers), CatalogWith(new ImageFolderLoadOptions(2, Storage: ImageFolderStorage.Floats)));
        Assert.Equal(200 * 256 * 4, floatInputs.PeakBytes(0));
        Assert.Equal(3 * 32 * 256 * 4, streamedInputs.PeakBytes(0));
    }

    [Fact]
    public void The_data_provider_warns_once_per_load_of_the_images_it_skipped()
    {
        using var scratch = folders.Scratch();
        var root = ItemFolders.Copy(folders.Flat, scratch.Path);
        var parameters = Parameters(root, 200, 10, 10, ("crop", "28"), ("onCorrupt", "skip"));
        var models = CatalogWith(new ImageFolderLoadOptions(2, Storage: ImageFolderStorage.Streamed));
        // An image both repeats draw (seeds 1 and 2): listing the streamed splits costs no decoding.
        IEnumerable<string> Drawn(long seed) => ((StreamedImages)models.Datasets.Load("image-folder", parameters, seed).Train.Source!).Files;
        var bad = Drawn(1).Intersect(Drawn(2)).First();
        File.WriteAllText(bad, "not a png");
        var logger = new RecordingLogger();
        var provider = new DatasetProvider(models: models, logger: logger);
        var spec = new DatasetSpec("image-folder", ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, parameters), 1);

        provider.Get(spec, 0);
        provider.Get(spec, 0);
        var warning = Assert.Single(logger.Warnings);
        Assert.Contains("skipped 1 unreadable input(s)", warning);
        Assert.Contains(bad, warning);
        provider.Get(spec, 1); // another repeat is another load
        Assert.Equal(2, logger.Warnings.Count());
    }

    /// <summary>The built-in architectures and data sets, image-folder loading with <paramref name="options"/>.</summary>
    private static ModelCatalog CatalogWith(ImageFolderLoadOptions options) => new(ArchitectureRegistry.BuiltIn,
        new DatasetRegistry(DatasetRegistry.BuiltInDatasets().Select(d => d is ImageFolderCatalogEntry ? new ImageFolderCatalogEntry(options) : d)));

    /// <summary>
    /// The image at <paramref name="path"/> as a JPEG cut a few bytes into its compressed data, so its header is whole and only decoding
    /// finds the damage: written as .jpg beside it (the original removed), or under the same name with <paramref name="keepName"/>.
    /// </summary>
    private static string TruncatedAfterHeader(string path, bool keepName = false)
    {
        byte[] jpeg;
        using (var bitmap = SKBitmap.Decode(path))
        using (var encoded = bitmap.Encode(SKEncodedImageFormat.Jpeg, 90))
            jpeg = encoded.ToArray();
        var scan = Enumerable.Range(0, jpeg.Length - 1).Last(i => jpeg[i] == 0xFF && jpeg[i + 1] == 0xDA); // start of scan
        var target = keepName ? path : Path.ChangeExtension(path, ".jpg");
        if (!keepName) File.Delete(path);
        File.WriteAllBytes(target, jpeg[..(scan + 24)]);
        return target;
    }
}
