using ProbeGrid.Analysis.Data;
using ProbeGrid.Analysis.Data.ImageFolder;
using Xunit.Abstractions;

namespace ProbeGrid.Tests.Data.ImageFolder;

/// <summary>
/// ProbeGrid's image-folder against torchvision 0.14's ImageFolder on the same files. torchvision's PIL pipeline resizes
/// with PIL's Image.resize(BILINEAR), which is antialiased but works in 8-bit fixed point, rounding after each of its two
/// passes; ProbeGrid does as torchvision's tensor Resize(antialias=True) does (one float pass, rounded to bytes once).
/// </summary>
public sealed class ImageFolderTorchvisionTests(TorchvisionFolderFixture fixture, ITestOutputHelper output) : IClassFixture<TorchvisionFolderFixture>
{
    private static readonly float[] ImageNetStd = [0.229f, 0.224f, 0.225f];

    [Fact]
    public void ClassesTargetsAndOrderAreImageFoldersOwn()
    {
        var listing = ImageFolderListing.Of(fixture.All);
        Assert.Equal(["Zebra", "apple", "banana"], fixture.Rgb.Classes); // ordinal: upper case first, as Python sorts
        Assert.Equal(fixture.Rgb.Classes, listing.Classes);
        Assert.Equal(fixture.Rgb.Paths, listing.Files.Select(f => Path.GetRelativePath(fixture.All, f)));
        Assert.Equal(fixture.Rgb.Targets, fixture.RgbLoad.Train.Labels);
        Assert.Equal(fixture.Grey.Targets, fixture.GreyLoad.Train.Labels);
        Assert.Equal(3, fixture.RgbLoad.ClassCount);
        Assert.Equal([3L, TorchvisionFolderFixture.RgbCrop, TorchvisionFolderFixture.RgbCrop], fixture.RgbLoad.SampleShape);
        Assert.Equal([1L, TorchvisionFolderFixture.GreyCrop, TorchvisionFolderFixture.GreyCrop], fixture.GreyLoad.SampleShape);
    }

    [Fact]
    public void PngMatchesTorchsAntialiasedTensorResize()
    {
        // The same decoded bytes through the same ops (libtorch 2.10 here, 1.13 there): equal up to float rounding.
        var (worst, _) = Levels(fixture.RgbLoad.Train, fixture.Rgb.Tensor, ImageNetStd, png: true);
        output.WriteLine($"PNG vs torch tensor path: worst {worst:F4} levels of 1/255");
        Assert.True(worst < 1e-3, $"PNG differs from torch's tensor resize by {worst} levels");
    }

    [Fact]
    public void PngMatchesPilResizeWithinOneLevel()
    {
        // PIL rounds to bytes after each pass; one float pass then rounding differs from it by at most one level.
        var (worst, share) = Levels(fixture.RgbLoad.Train, fixture.Rgb.Pil, ImageNetStd, png: true);
        output.WriteLine($"PNG vs PIL path: worst {worst:F4} levels, {share:P1} of values differ");
        Assert.True(worst <= 1.001, $"PNG differs from PIL's resize by {worst} levels");
    }

    [Fact]
    public void JpegMatchesPilWithinDecoderDifferences()
    {
        var (worst, share) = Levels(fixture.RgbLoad.Train, fixture.Rgb.Tensor, ImageNetStd, png: false);
        output.WriteLine($"JPEG vs torch tensor path on PIL's decode: worst {worst:F4} levels, {share:P1} of values differ");
        var (worstPil, sharePil) = Levels(fixture.RgbLoad.Train, fixture.Rgb.Pil, ImageNetStd, png: false);
        output.WriteLine($"JPEG vs PIL path: worst {worstPil:F4} levels, {sharePil:P1} of values differ");
        Assert.True(worst <= JpegLevels, $"JPEG differs from PIL's decode by {worst} levels");
        Assert.True(worstPil <= JpegLevels + 1, $"JPEG differs from PIL's pipeline by {worstPil} levels");
    }

    [Fact]
    public void GreyPaddedCropMatchesPil()
    {
        // No resize: the grey path is exact (PIL's convert("L") weights), the crop pads the smaller images with zeros.
        var (worst, _) = Levels(fixture.GreyLoad.Train, fixture.Grey.Pil, [0.25f], png: true);
        output.WriteLine($"grey PNG vs PIL: worst {worst:F4} levels");
        Assert.True(worst < 1e-3, $"grey PNG differs from PIL by {worst} levels");
        var (worstJpeg, _) = Levels(fixture.GreyLoad.Train, fixture.Grey.Pil, [0.25f], png: false);
        output.WriteLine($"grey JPEG vs PIL: worst {worstJpeg:F4} levels");
        Assert.True(worstJpeg <= JpegLevels, $"grey JPEG differs from PIL by {worstJpeg} levels");
    }

    /// <summary>
    /// How far Skia's JPEG decode may lie from PIL's, in levels of 1/255. Both are libjpeg-turbo (Skia's bundled one, Debian's
    /// libjpeg62-turbo under PIL) with the same IDCT and fancy upsampling: measured identical on these 4:2:0 JPEGs; one level
    /// allows for another build of either.
    /// </summary>
    private const double JpegLevels = 1.001;

    /// <summary>The worst difference in levels of 1/255 ([0, 1] units x 255) over the PNG or JPEG samples, and the share of values that differ by over 1e-3 levels.</summary>
    private (double Worst, double Share) Levels(LabeledData data, float[] peer, float[] std, bool png)
    {
        var size = data.SampleSize;
        var plane = size / std.Length;
        double worst = 0;
        long differ = 0, total = 0;
        for (var i = 0; i < data.Count; i++)
        {
            var isPng = fixture.Rgb.Paths[i].EndsWith("png", StringComparison.OrdinalIgnoreCase);
            if (isPng != png) continue;
            for (var j = 0; j < size; j++)
            {
                var levels = Math.Abs(data.Inputs[i * size + j] - peer[i * size + j]) * std[j / plane] * 255.0;
                worst = Math.Max(worst, levels);
                differ += levels > 1e-3 ? 1 : 0;
                total++;
            }
        }
        Assert.True(total > 0);
        return (worst, differ / (double)total);
    }
}
