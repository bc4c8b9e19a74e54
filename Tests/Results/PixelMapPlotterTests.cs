using System.Buffers.Binary;
using ProbeGrid.Client.Export;
using ProbeGrid.Tests.Data;
using SkiaSharp;

namespace ProbeGrid.Tests.Results;

public sealed class PixelMapPlotterTests : IDisposable
{
    private const int Height = 20;
    private const int Width = 30;

    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>Width and height from the PNG's IHDR chunk, after checking the signature.</summary>
    private static (int Width, int Height) PngSize(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, bytes[..8]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(bytes, 12, 4));
        return (BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
    }

    /// <summary>Pixels of columns [left, right) that are coloured (not grey, white or black).</summary>
    private static int ColouredPixels(SKBitmap bitmap, int left, int right)
    {
        var count = 0;
        for (var y = 0; y < bitmap.Height; y++)
            for (var x = left; x < right; x++)
            {
                var c = bitmap.GetPixel(x, y);
                if (Math.Max(c.Red, Math.Max(c.Green, c.Blue)) - Math.Min(c.Red, Math.Min(c.Green, c.Blue)) > 30) count++;
            }
        return count;
    }

    private static double[] Ramp(double scale) => Enumerable.Range(0, Height * Width).Select(i => scale * (i % Width + i / Width)).ToArray();

    [Fact]
    public void The_input_and_one_heatmap_per_layer_are_drawn_in_a_row()
    {
        // Three channels: shown as their mean.
        var image = Enumerable.Range(0, 3 * Height * Width).Select(i => (float)(i % 7) / 7).ToArray();
        var path = Path.Combine(_folder.Path, "maps", "sample0.png");

        PixelMapPlotter.Save(path, image, Height, Width, [("conv1", Ramp(1)), ("layer4.1", Ramp(-0.01))], title: "sample 0");

        Assert.Equal((3 * PixelMapPlotter.PanelWidth, PixelMapPlotter.PanelHeight), PngSize(path));
        using var bitmap = SKBitmap.Decode(path);
        Assert.Equal(3 * PixelMapPlotter.PanelWidth, bitmap.Width);
        var colours = new HashSet<uint>();
        for (var y = 0; y < bitmap.Height; y += 2)
            for (var x = 0; x < bitmap.Width; x += 2)
                colours.Add((uint)bitmap.GetPixel(x, y));
        Assert.True(colours.Count > 100, $"only {colours.Count} colours: the picture looks blank");
        // The input is grey; each layer's panel is mostly viridis.
        var w = PixelMapPlotter.PanelWidth;
        Assert.True(ColouredPixels(bitmap, 0, w) < 0.02 * w * bitmap.Height, "the input panel should be grey");
        Assert.True(ColouredPixels(bitmap, w, 2 * w) > 0.2 * w * bitmap.Height, "the first layer's heatmap is missing");
        Assert.True(ColouredPixels(bitmap, 2 * w, 3 * w) > 0.2 * w * bitmap.Height, "the second layer's heatmap is missing");
    }

    [Fact]
    public void Single_precision_flat_and_NaN_maps_on_a_shared_scale_are_drawn()
    {
        var flat = Enumerable.Repeat(2f, Height * Width).ToArray();
        var holes = Ramp(0.5).Select((v, i) => i % 5 == 0 ? float.NaN : (float)v).ToArray();
        var path = Path.Combine(_folder.Path, "flat.png");

        PixelMapPlotter.Save(path, new float[Height * Width], Height, Width, [("flat", flat), ("holes", holes), ("all NaN", Enumerable.Repeat(float.NaN, Height * Width).ToArray())], sharedScale: true);

        Assert.Equal((4 * PixelMapPlotter.PanelWidth, PixelMapPlotter.PanelHeight), PngSize(path));
    }

    [Fact]
    public void Maps_or_images_of_the_wrong_size_are_refused_with_every_problem()
    {
        var error = Assert.Throws<ArgumentException>(() => PixelMapPlotter.Save(Path.Combine(_folder.Path, "bad.png"),
            new float[Height * Width + 1], Height, Width, [("ok", Ramp(1)), ("short", new double[10])]));

        Assert.Contains($"the image has {Height * Width + 1} values, not a whole number of {Height} x {Width} channels", error.Message);
        Assert.Contains($"layer 'short': the map has 10 values, not {Height} x {Width} = {Height * Width}", error.Message);
        Assert.DoesNotContain("'ok'", error.Message);
        Assert.False(File.Exists(Path.Combine(_folder.Path, "bad.png")));
    }
}
