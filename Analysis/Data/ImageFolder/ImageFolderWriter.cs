using System.Runtime.InteropServices;
using SkiaSharp;
using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.Data.ImageFolder;

/// <summary>The file formats <see cref="ImageFolderWriter"/> writes.</summary>
public enum ImageFileFormat
{
    Png,
    Jpeg,
}

/// <summary>
/// Makes small image folders for tests and examples from Fashion-MNIST's training file: each item upscaled
/// (bilinear) to size x size, written as an RGB PNG or JPEG into folder/[split/]class/n.png. Class folders are
/// Fashion-MNIST's class names in lower case (t-shirt, trouser, ..., ankle-boot); an image folder numbers classes
/// by sorted name, so their indices there are not Fashion-MNIST's labels. Items are taken in file order, class by
/// class, each split after the previous one, so the splits are disjoint and the same arguments write the same files.
/// </summary>
public static class ImageFolderWriter
{
    /// <summary>The class folder names, indexed by Fashion-MNIST label.</summary>
    public static IReadOnlyList<string> ClassFolderNames { get; } =
        [.. FashionMnist.ClassNames.Select(n => n.Split('/')[0].ToLowerInvariant().Replace(' ', '-'))];

    /// <summary>
    /// Writes the folder; <paramref name="splits"/> gives each split folder ("" for the folder itself) and its images
    /// per class. Returns the number of files written.
    /// </summary>
    /// <exception cref="ArgumentException">A size, count or split name is invalid, or the folder is not empty; lists every problem.</exception>
    /// <exception cref="FileNotFoundException">The Fashion-MNIST files are missing.</exception>
    public static int Write(string folder, int size, IReadOnlyList<(string Split, int PerClass)> splits, ImageFileFormat format,
        int jpegQuality = 90, string fashionMnistFolder = FashionMnist.DefaultFolder)
    {
        var problems = new List<string>();
        if (size is < 1 or > 4096) problems.Add($"size {size} must be from 1 to 4096 pixels");
        if (jpegQuality is < 1 or > 100) problems.Add($"JPEG quality {jpegQuality} must be from 1 to 100");
        if (splits.Count == 0) problems.Add("give at least one split (or the folder itself) with images per class");
        foreach (var (split, perClass) in splits)
        {
            if (perClass < 1) problems.Add($"split '{split}' asks {perClass} images per class: give at least 1");
            if (split.Length > 0 && (split.IndexOfAny(['/', '\\']) >= 0 || split is "." or ".."))
                problems.Add($"split name '{split}' must be one folder name (e.g. train, val)");
        }
        if (splits.Select(s => s.Split).Distinct(StringComparer.Ordinal).Count() != splits.Count) problems.Add("each split may be named once");
        if (splits.Count > 1 && splits.Any(s => s.Split.Length == 0)) problems.Add("either name every split or write one folder without splits");
        if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
            problems.Add($"'{folder}' is not empty: give a new or empty folder, so no earlier image is mistaken for a written one");
        if (problems.Count > 0) throw new ArgumentException("Cannot write the image folder: " + string.Join("; ", problems) + ".");

        var set = FashionMnist.ReadTrainFile(fashionMnistFolder);
        var byClass = Enumerable.Range(0, FashionMnist.ClassCount)
            .Select(c => Enumerable.Range(0, set.Count).Where(i => set.Labels[i] == c).ToArray()).ToArray();
        var needed = splits.Sum(s => s.PerClass);
        var fewest = byClass.Min(c => c.Length);
        if (needed > fewest)
            throw new ArgumentException($"Cannot write the image folder: {needed} images per class are asked but the training file holds {fewest} of its smallest class: ask fewer.");

        var written = 0;
        var taken = 0;
        foreach (var (split, perClass) in splits)
        {
            var digits = (perClass - 1).ToString(System.Globalization.CultureInfo.InvariantCulture).Length;
            for (var c = 0; c < FashionMnist.ClassCount; c++)
            {
                var classFolder = Path.Join(folder, split, ClassFolderNames[c]);
                Directory.CreateDirectory(classFolder);
                var items = byClass[c][taken..(taken + perClass)];
                var pixels = Upscaled(set.Pixels, items, size);
                var extension = format == ImageFileFormat.Png ? "png" : "jpg";
                Parallel.For(0, items.Length, n =>
                {
                    var name = n.ToString("D" + digits, System.Globalization.CultureInfo.InvariantCulture) + "." + extension;
                    File.WriteAllBytes(Path.Join(classFolder, name), Encode(pixels.AsSpan(n * size * size, size * size), size, format, jpegQuality));
                });
                written += items.Length;
            }
            taken += perClass;
        }
        return written;
    }

    /// <summary>The items as size x size grey bytes, one after another: bilinear (antialiased when shrinking), rounded.</summary>
    private static byte[] Upscaled(byte[] pixels, int[] items, int size)
    {
        const int side = FashionMnist.ImageSide;
        var source = new byte[items.Length * side * side];
        for (var k = 0; k < items.Length; k++)
            pixels.AsSpan(items[k] * side * side, side * side).CopyTo(source.AsSpan(k * side * side));
        using var scope = NewDisposeScope();
        var x = tensor(source, [items.Length, 1, side, side], ScalarType.Byte).to_type(ScalarType.Float32);
        if (size != side)
            x = nn.functional.interpolate(x, [size, size], mode: InterpolationMode.Bilinear, align_corners: false, antialias: true).round().clamp(0, 255);
        var bytes = new byte[items.Length * size * size];
        x.to_type(ScalarType.Byte).contiguous().data<byte>().CopyTo(bytes);
        return bytes;
    }

    /// <summary>A grey image written as opaque RGB (R = G = B), so it is a colour image to every reader.</summary>
    private static byte[] Encode(ReadOnlySpan<byte> grey, int size, ImageFileFormat format, int quality)
    {
        var rgba = new byte[grey.Length * 4];
        for (var i = 0; i < grey.Length; i++)
        {
            rgba[4 * i] = rgba[4 * i + 1] = rgba[4 * i + 2] = grey[i];
            rgba[4 * i + 3] = 255;
        }
        using var bitmap = new SKBitmap(new SKImageInfo(size, size, SKColorType.Rgba8888, SKAlphaType.Opaque));
        Marshal.Copy(rgba, 0, bitmap.GetPixels(), rgba.Length);
        using var data = bitmap.Encode(format == ImageFileFormat.Png ? SKEncodedImageFormat.Png : SKEncodedImageFormat.Jpeg, quality)
                         ?? throw new InvalidOperationException($"SkiaSharp could not encode a {size}x{size} {format} image");
        return data.ToArray();
    }
}
