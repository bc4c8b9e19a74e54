using SkiaSharp;

namespace ProbeGrid.Tests.Results;

/// <summary>An animated GIF decoded by SkiaSharp (another decoder than the ImageSharp that wrote it): its size, and each frame with its delay.</summary>
internal sealed class GifFrames : IDisposable
{
    private GifFrames(string format, int width, int height, IReadOnlyList<(SKBitmap Bitmap, int DurationMs)> frames) =>
        (Format, Width, Height, Frames) = (format, width, height, frames);

    public string Format { get; }

    public int Width { get; }

    public int Height { get; }

    public IReadOnlyList<(SKBitmap Bitmap, int DurationMs)> Frames { get; }

    public static GifFrames Read(string path)
    {
        using var codec = SKCodec.Create(path) ?? throw new InvalidDataException($"SkiaSharp cannot decode {path}");
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
        var frames = new List<(SKBitmap, int)>();
        for (var i = 0; i < codec.FrameCount; i++)
        {
            var bitmap = new SKBitmap(info);
            // No prior frame given: the codec composes whatever earlier frames this one builds on.
            var decoded = codec.GetPixels(info, bitmap.GetPixels(), new SKCodecOptions(i));
            if (decoded != SKCodecResult.Success) throw new InvalidDataException($"frame {i} of {path}: {decoded}");
            frames.Add((bitmap, codec.FrameInfo[i].Duration));
        }
        return new GifFrames(codec.EncodedFormat.ToString(), info.Width, info.Height, frames);
    }

    /// <summary>The largest difference of one channel between the pixel at <paramref name="x"/>, <paramref name="y"/> (rounded) and <paramref name="colour"/>.</summary>
    public static int Distance(SKBitmap bitmap, float x, float y, ScottPlot.Color colour)
    {
        var c = bitmap.GetPixel((int)Math.Round(x), (int)Math.Round(y));
        return Math.Max(Math.Abs(c.Red - colour.R), Math.Max(Math.Abs(c.Green - colour.G), Math.Abs(c.Blue - colour.B)));
    }

    public void Dispose()
    {
        foreach (var (bitmap, _) in Frames) bitmap.Dispose();
    }
}
