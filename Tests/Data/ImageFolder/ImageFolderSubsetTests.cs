using ProbeGrid.Analysis.Data;
using ProbeGrid.Analysis.Data.ImageFolder;

namespace ProbeGrid.Tests.Data.ImageFolder;

/// <summary>
/// Image folders written by <see cref="ImageFolderWriter"/> from a synthetic Fashion-MNIST whose item k stores k in its
/// first two pixels: at 28x28 PNG nothing is resampled, so every loaded sample says which item it is.
/// </summary>
public sealed class ItemFolders : IDisposable
{
    public const int Items = 400; // 40 per class

    private readonly TemporaryFolder temporary = new();

    public ItemFolders()
    {
        FashionMnistFolder = Path.Combine(temporary.Path, "fashion-mnist");
        Directory.CreateDirectory(FashionMnistFolder);
        SyntheticFashionMnistFolder.Write(FashionMnistFolder, Items, 10, gzip: false);
        Flat = Path.Combine(temporary.Path, "flat");
        ImageFolderWriter.Write(Flat, 28, [("", 30)], ImageFileFormat.Png, fashionMnistFolder: FashionMnistFolder);
        Split = Path.Combine(temporary.Path, "split");
        ImageFolderWriter.Write(Split, 28, [("train", 20), ("val", 10)], ImageFileFormat.Png, fashionMnistFolder: FashionMnistFolder);
    }

    public string FashionMnistFolder { get; }

    /// <summary>One folder of 10 classes x 30 images.</summary>
    public string Flat { get; }

    /// <summary>train/ (20 a class) and val/ (10 a class).</summary>
    public string Split { get; }

    public TemporaryFolder Scratch() => new();

    /// <summary>A copy of <paramref name="source"/> in <paramref name="into"/>.</summary>
    public static string Copy(string source, string into)
    {
        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(into, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        return into;
    }

    public void Dispose() => temporary.Dispose();
}

public sealed class ImageFolderSubsetTests(ItemFolders folders) : IClassFixture<ItemFolders>
{
    private static Dictionary<string, string> Parameters(string root, int train, int validation, int test, params (string Key, string Value)[] more)
    {
        var parameters = new Dictionary<string, string>
        {
            ["root"] = root, ["trainCount"] = $"{train}", ["validationCount"] = $"{validation}", ["testCount"] = $"{test}", ["crop"] = "28",
        };
        foreach (var (key, value) in more) parameters[key] = value;
        return parameters;
    }

    private static DatasetSplits Load(Dictionary<string, string> parameters, long seed = 1, int parallelism = 2, long budget = 0) =>
        DatasetRegistry.BuiltIn.Validate("image-folder", parameters) is { Count: > 0 } problems
            ? throw new ArgumentException(string.Join("; ", problems))
            : new ImageFolderCatalogEntry(new ImageFolderLoadOptions(parallelism, budget)).Load(parameters, seed, null);

    /// <summary>The synthetic item each sample is (its first two red pixels hold k % 256 and k / 256).</summary>
    private static int[] Items(LabeledData data) =>
        [.. Enumerable.Range(0, data.Count).Select(i => (int)MathF.Round(data.Inputs[i * data.SampleSize] * 255) + 256 * (int)MathF.Round(data.Inputs[i * data.SampleSize + 1] * 255))];

    [Fact]
    public void SplitsOfOneFolderAreDisjointSeededSubsetsWithTheirClasses()
    {
        var data = Load(Parameters(folders.Flat, 120, 60, 90));
        var (train, validation, test) = (Items(data.Train), Items(data.Validation), Items(data.Test));
        Assert.Equal(270, train.Concat(validation).Concat(test).Distinct().Count());
        Assert.All(train.Concat(validation).Concat(test), k => Assert.InRange(k, 0, ItemFolders.Items - 1));
        // The class index is the position of the class name in sorted order; the item's Fashion-MNIST label is k % 10.
        var sorted = ImageFolderWriter.ClassFolderNames.Order(StringComparer.Ordinal).ToList();
        Assert.Equal(train.Select(k => (long)sorted.IndexOf(ImageFolderWriter.ClassFolderNames[k % 10])), data.Train.Labels);
        Assert.Equal(10, data.ClassCount);
        Assert.Empty(data.Skipped);
        // Not file order: a seeded permutation.
        Assert.NotEqual(train.Order(), train);
    }

    [Fact]
    public void SameSeedSameSamplesAndValidationStaysWhenTrainGrows()
    {
        var first = Load(Parameters(folders.Flat, 50, 40, 30), seed: 3);
        var again = Load(Parameters(folders.Flat, 50, 40, 30), seed: 3);
        Assert.Equal(first.Train.Inputs, again.Train.Inputs);
        Assert.Equal(first.Test.Labels, again.Test.Labels);
        var otherSeed = Load(Parameters(folders.Flat, 50, 40, 30), seed: 4);
        Assert.NotEqual(Items(first.Train), Items(otherSeed.Train));
        var moreTrain = Load(Parameters(folders.Flat, 150, 40, 30), seed: 3);
        Assert.Equal(Items(first.Validation), Items(moreTrain.Validation));
        Assert.Equal(Items(first.Train), Items(moreTrain.Train)[..50]);
    }

    [Fact]
    public void ParallelDecodeGivesWhatOneThreadGives()
    {
        var parameters = Parameters(folders.Flat, 100, 50, 50, ("resize", "40"), ("crop", "36"), ("normalize", "imagenet"));
        var one = Load(parameters, parallelism: 1);
        var four = Load(parameters, parallelism: 4);
        Assert.Equal(one.Train.Inputs, four.Train.Inputs);
        Assert.Equal(one.Validation.Inputs, four.Validation.Inputs);
        Assert.Equal(one.Test.Inputs, four.Test.Inputs);
        Assert.Equal(one.Train.Labels, four.Train.Labels);
    }

    [Fact]
    public void SeparateSplitFoldersKeepTheirOwnImages()
    {
        // ImageNet's way: train from train/, validation and test disjoint from val/.
        var data = Load(Parameters(folders.Split, 200, 40, 60, ("train", "train"), ("validation", "val"), ("test", "val")));
        var trainItems = Items(data.Train);
        // train/ holds each class's first 20 items, val/ the next 10: item k is the n-th of its class at k / 10.
        Assert.All(trainItems, k => Assert.True(k / 10 < 20));
        var valItems = Items(data.Validation).Concat(Items(data.Test)).ToList();
        Assert.All(valItems, k => Assert.InRange(k / 10, 20, 29));
        Assert.Equal(100, valItems.Distinct().Count());
        // A folder asked whole keeps ImageFolder's order: class by class, files by name.
        var sorted = ImageFolderWriter.ClassFolderNames.Order(StringComparer.Ordinal).ToList();
        Assert.Equal(Enumerable.Range(0, 200).Select(i => (long)(i / 20)), data.Train.Labels);
        Assert.Equal(
            sorted.SelectMany(name => Enumerable.Range(0, 20).Select(n => n * 10 + ImageFolderWriter.ClassFolderNames.ToList().IndexOf(name))),
            trainItems);
    }

    [Fact]
    public void CorruptImagesFailTheLoadNamingEachWithItsReason()
    {
        using var scratch = folders.Scratch();
        var root = ItemFolders.Copy(folders.Flat, scratch.Path);
        var (truncated, text) = Corrupt(root);
        var e = Assert.Throws<ImageFolderException>(() => Load(Parameters(root, 200, 50, 50)));
        Assert.Contains($"'{truncated}' is truncated", e.Message);
        Assert.Contains($"'{text}' is not a JPEG, PNG, BMP or WebP image", e.Message);
        Assert.Contains("2 of the images drawn cannot be decoded (onCorrupt=fail)", e.Message);
        Assert.Contains("set onCorrupt=skip", e.Message);
    }

    [Fact]
    public void SkippedImagesAreRecordedAndReplacedByTheNextOfTheSameDraw()
    {
        using var scratch = folders.Scratch();
        var root = ItemFolders.Copy(folders.Flat, scratch.Path);
        var clean = Load(Parameters(root, 150, 60, 60));
        var cleanItems = new[] { clean.Train, clean.Validation, clean.Test }.Select(Items).ToArray();
        // Corrupt two drawn images: one of validation, one of test.
        var files = ImageFolderListing.Of(root).Files;
        var itemFile = files.ToDictionary(f => ItemOf(f), f => f);
        var (victimA, victimB) = (cleanItems[1][7], cleanItems[2][0]);
        var truncated = TruncatedJpeg(itemFile[victimA]);
        File.WriteAllText(itemFile[victimB], "not a png");

        var parameters = Parameters(root, 150, 60, 60, ("onCorrupt", "skip"));
        var skipped = Load(parameters);
        Assert.Equal([150, 60, 60], new[] { skipped.Train.Count, skipped.Validation.Count, skipped.Test.Count });
        Assert.Equal(2, skipped.Skipped.Count);
        Assert.Contains(skipped.Skipped, s => s.StartsWith(truncated + ": is truncated", StringComparison.Ordinal));
        Assert.Contains(skipped.Skipped, s => s.StartsWith(itemFile[victimB] + ": is not a JPEG", StringComparison.Ordinal));
        var items = new[] { skipped.Train, skipped.Validation, skipped.Test }.Select(Items).ToArray();
        Assert.Equal(cleanItems[0], items[0]); // train untouched
        var drawn = cleanItems.SelectMany(i => i).ToHashSet();
        for (var s = 1; s < 3; s++)
            for (var i = 0; i < items[s].Length; i++)
                if (cleanItems[s][i] is var before && (before == victimA || before == victimB))
                    Assert.DoesNotContain(items[s][i], drawn); // a replacement from the reserve
                else Assert.Equal(before, items[s][i]);
        Assert.Equal(270, items.SelectMany(i => i).Distinct().Count());
        // Deterministic, whatever the scheduling.
        Assert.Equal(items[1], Items(Load(parameters, parallelism: 1).Validation));
    }

    [Fact]
    public void SkipRefusesWhenTooFewGoodImagesRemain()
    {
        using var scratch = folders.Scratch();
        var root = ItemFolders.Copy(folders.Flat, scratch.Path);
        Corrupt(root);
        var e = Assert.Throws<ImageFolderException>(() => Load(Parameters(root, 200, 50, 50, ("onCorrupt", "skip"))));
        Assert.Contains("has too few decodable images for the counts asked of it: 2 skipped", e.Message);
    }

    [Fact]
    public void FolderProblemsAreListedTogether()
    {
        using var scratch = folders.Scratch();
        var root = ItemFolders.Copy(folders.Flat, Path.Combine(scratch.Path, "root"));
        Directory.CreateDirectory(Path.Combine(root, "empty"));
        Directory.CreateDirectory(Path.Combine(root, "notes"));
        File.WriteAllText(Path.Combine(root, "notes", "readme.txt"), "text");
        Directory.CreateDirectory(Path.Combine(root, "scans"));
        File.WriteAllText(Path.Combine(root, "scans", "a.TIF"), "tiff");
        var e = Assert.Throws<ImageFolderException>(() => Load(Parameters(root, 10, 10, 10)));
        Assert.Contains($"class folder '{Path.Combine(root, "empty")}' has no images", e.Message);
        Assert.Contains($"class folder '{Path.Combine(root, "notes")}' has no images (files ending .jpg, .jpeg, .png, .bmp, .webp, in any case); it holds 1 other file(s): readme.txt", e.Message);
        Assert.Contains("1 .tif file(s)", e.Message);
        Assert.Contains("mogrify -format png", e.Message);

        var noClasses = Path.Combine(scratch.Path, "flat-files");
        Directory.CreateDirectory(noClasses);
        File.WriteAllText(Path.Combine(noClasses, "a.png"), "x");
        Assert.Contains("has no class folders (it holds 1 file(s) directly)",
            Assert.Throws<ImageFolderException>(() => Load(Parameters(noClasses, 1, 1, 1))).Message);
        Assert.Contains("does not exist", Assert.Throws<ImageFolderException>(() => Load(Parameters(Path.Combine(scratch.Path, "missing"), 1, 1, 1))).Message);
    }

    [Fact]
    public void CountsClassesAndMemoryAreCheckedBeforeDecoding()
    {
        var tooMany = Assert.Throws<ImageFolderException>(() => Load(Parameters(folders.Flat, 250, 40, 20)));
        Assert.Contains($"trainCount 250 + validationCount 40 + testCount 20 = 310 images are drawn from '{folders.Flat}', which holds 300", tooMany.Message);

        var wrongClasses = Assert.Throws<ImageFolderException>(() => Load(Parameters(folders.Flat, 10, 10, 10, ("classCount", "12"))));
        Assert.Contains("parameter 'classCount' is 12 but", wrongClasses.Message);

        using var scratch = folders.Scratch();
        var root = ItemFolders.Copy(folders.Split, scratch.Path);
        Directory.Move(Path.Combine(root, "val", "bag"), Path.Combine(root, "val", "handbag"));
        var differ = Assert.Throws<ImageFolderException>(() => Load(Parameters(root, 10, 10, 10, ("train", "train"), ("validation", "val"), ("test", "val"))));
        Assert.Contains("hold different class folders; only the first has bag; only the second has handbag", differ.Message);

        // Splits over one float array are refused only where the host asks for floats: otherwise they are held as bytes or streamed.
        var floats = new ImageFolderCatalogEntry(new ImageFolderLoadOptions(Storage: ImageFolderStorage.Floats));
        var tooLarge = Assert.Throws<ImageFolderException>(() => floats.Load(Parameters(folders.Flat, 20_000, 10, 10, ("crop", "400")), 1, null));
        Assert.Contains("the train split would decode to 20000 x 480000 = 9,600,000,000 floats, more than one array holds", tooLarge.Message);
    }

    [Fact]
    public void LinksLeadingOutsideTheRootAreRefused()
    {
        using var scratch = folders.Scratch();
        var root = ItemFolders.Copy(folders.Flat, Path.Combine(scratch.Path, "root"));
        var outside = Path.Combine(scratch.Path, "outside.png");
        var victim = ImageFolderListing.Of(root).Files[0];
        File.Move(victim, outside);
        File.CreateSymbolicLink(victim, outside);
        var e = Assert.Throws<ImageFolderException>(() => Load(Parameters(root, 200, 50, 50)));
        Assert.Contains($"'{victim}' leads outside the root (to '{outside}')", e.Message);
    }

    /// <summary>Replaces one image with a truncated JPEG and writes text into another .png: the two corrupt files.</summary>
    private static (string Truncated, string Text) Corrupt(string root)
    {
        var files = ImageFolderListing.Of(root).Files;
        var text = files[40];
        File.WriteAllText(text, "this is not an image");
        return (TruncatedJpeg(files[3]), text);
    }

    /// <summary>The PNG at <paramref name="png"/> replaced by the first half of its JPEG encoding, under the same name with .jpg.</summary>
    private static string TruncatedJpeg(string png)
    {
        using var bitmap = SkiaSharp.SKBitmap.Decode(png);
        using var jpeg = bitmap.Encode(SkiaSharp.SKEncodedImageFormat.Jpeg, 90);
        var bytes = jpeg.ToArray();
        var path = Path.ChangeExtension(png, ".jpg");
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        File.Delete(png);
        return path;
    }

    /// <summary>The item a written file holds, read back (its first two pixels).</summary>
    private static int ItemOf(string file)
    {
        var image = ImageDecoder.TryDecode(file, 3, out _)!;
        return image.Pixels[0] + 256 * image.Pixels[3];
    }
}
