using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing.Processors.Quantization;

namespace ProbeGrid.Client.Export;

/// <summary>
/// Writes frames (PNGs, all of one size) as an animated GIF that loops forever, with SixLabors.ImageSharp 2.x (managed,
/// Apache-2.0). Each frame gets its own palette, quantized without dithering: plots are flat colours, and dither
/// would speckle them. The frames are held in memory until written (about 2 MB a frame at 800x500).
/// </summary>
public static class AnimatedGif
{
    /// <summary>Frames per second GIF can express: its delays are whole hundredths of a second, and players slow anything under 2.</summary>
    public const int MaxFps = 50;

    /// <summary>The delay between frames at <paramref name="fps"/>, in hundredths of a second (GIF's unit).</summary>
    public static int FrameDelay(int fps) => Math.Max(2, (int)Math.Round(100.0 / fps));

    public static void Write(string path, IEnumerable<byte[]> pngFrames, int fps)
    {
        if (fps is < 1 or > MaxFps) throw new ArgumentOutOfRangeException(nameof(fps), fps, $"a GIF plays 1 to {MaxFps} frames a second");
        var delay = FrameDelay(fps);
        Image<Rgba32>? animation = null;
        try
        {
            foreach (var png in pngFrames)
            {
                using var frame = Image.Load<Rgba32>(png);
                frame.Frames.RootFrame.Metadata.GetGifMetadata().FrameDelay = delay;
                if (animation is null)
                {
                    animation = frame.Clone();
                    continue;
                }
                if (frame.Width != animation.Width || frame.Height != animation.Height)
                    throw new ArgumentException($"frame {animation.Frames.Count} is {frame.Width}x{frame.Height}, the first {animation.Width}x{animation.Height}: frames must be of one size", nameof(pngFrames));
                animation.Frames.AddFrame(frame.Frames.RootFrame);
            }
            if (animation is null) throw new ArgumentException("no frames to write", nameof(pngFrames));
            animation.Metadata.GetGifMetadata().RepeatCount = 0;
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            animation.SaveAsGif(path, new GifEncoder
            {
                ColorTableMode = GifColorTableMode.Local,
                Quantizer = new WuQuantizer(new QuantizerOptions { Dither = null }),
            });
        }
        finally
        {
            animation?.Dispose();
        }
    }
}
