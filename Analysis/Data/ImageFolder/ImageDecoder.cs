using System.Runtime.InteropServices;
using SkiaSharp;

namespace ProbeGrid.Analysis.Data.ImageFolder;

/// <summary>
/// Decodes JPEG, PNG, BMP and WebP files with SkiaSharp to the bytes torchvision's ImageFolder loader gives
/// (PIL's convert("RGB")): no colour management, EXIF orientation ignored, alpha dropped unpremultiplied, grey
/// replicated to three channels; or to one grey channel with PIL's convert("L") weights.
/// </summary>
public static class ImageDecoder
{
    /// <summary>PIL refuses images over twice its MAX_IMAGE_PIXELS (a decompression bomb); so do we, before allocating.</summary>
    public const long MaxPixels = 2 * 89_478_485L;

    /// <summary>The decoded image, or null with the decoder's reason (the file is missing, truncated or not an image).</summary>
    public static DecodedImage? TryDecode(string path, int channels, out string? reason)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            reason = $"cannot be read ({e.Message})";
            return null;
        }
        return TryDecode(bytes, channels, out reason);
    }

    /// <inheritdoc cref="TryDecode(string, int, out string?)"/>
    public static DecodedImage? TryDecode(byte[] encoded, int channels, out string? reason)
    {
        if (channels is not (1 or 3)) throw new ArgumentOutOfRangeException(nameof(channels), channels, "1 or 3");
        using var stream = new SKMemoryStream(encoded);
        using var codec = SKCodec.Create(stream, out var opened);
        if (HeaderProblem(codec, opened, encoded.Length) is { } problem)
        {
            reason = problem;
            return null;
        }
        var (width, height) = (codec!.Info.Width, codec.Info.Height);
        // No colour space: Skia then converts no colours, as PIL applies no ICC profile.
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var rgba = GC.AllocateUninitializedArray<byte>(checked(width * height * 4));
        var handle = GCHandle.Alloc(rgba, GCHandleType.Pinned);
        SKCodecResult decoded;
        try { decoded = codec.GetPixels(info, handle.AddrOfPinnedObject()); }
        finally { handle.Free(); }
        if (decoded != SKCodecResult.Success)
        {
            reason = decoded == SKCodecResult.IncompleteInput
                ? "is truncated: the decoder ran out of data before the last row (incomplete input)"
                : $"could not be decoded ({decoded})";
            return null;
        }
        reason = null;
        return new DecodedImage(channels == 3 ? Rgb(rgba) : Grey(rgba), height, width, channels);
    }

    /// <summary>
    /// Whether <paramref name="path"/> opens as an image of a size the decoder accepts, reading only its header (what a
    /// streamed image folder checks when it is loaded): null when it does, else the reason. A file whose header is sound
    /// may still fail in its pixel data, which only <see cref="TryDecode(string, int, out string?)"/> finds.
    /// </summary>
    public static string? HeaderProblem(string path)
    {
        long length;
        try { length = new FileInfo(path).Length; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return $"cannot be read ({e.Message})"; }
        using var stream = new SKFileStream(path);
        if (!stream.IsValid) return File.Exists(path) ? "cannot be read (it cannot be opened)" : "cannot be read (it no longer exists)";
        using var codec = SKCodec.Create(stream, out var opened);
        return HeaderProblem(codec, opened, length);
    }

    private static string? HeaderProblem(SKCodec? codec, SKCodecResult opened, long length)
    {
        if (codec is null)
            return length == 0 ? "is empty (0 bytes)"
                : opened == SKCodecResult.IncompleteInput ? $"is truncated: the decoder ran out of data in its header ({length} bytes)"
                : $"is not a JPEG, PNG, BMP or WebP image the decoder recognises ({opened})";
        var (width, height) = (codec.Info.Width, codec.Info.Height);
        return (long)width * height > MaxPixels || width < 1 || height < 1
            ? $"is {width}x{height} pixels, outside 1 to {MaxPixels:N0} pixels (PIL refuses such images too)"
            : null;
    }

    private static byte[] Rgb(byte[] rgba)
    {
        var rgb = GC.AllocateUninitializedArray<byte>(rgba.Length / 4 * 3);
        for (int i = 0, j = 0; i < rgba.Length; i += 4, j += 3)
        {
            rgb[j] = rgba[i];
            rgb[j + 1] = rgba[i + 1];
            rgb[j + 2] = rgba[i + 2];
        }
        return rgb;
    }

    /// <summary>PIL's convert("L"): ITU-R 601-2 luma in 16-bit fixed point, rounded (L24 in PIL's Convert.c); grey pixels stay as they are.</summary>
    private static byte[] Grey(byte[] rgba)
    {
        var grey = GC.AllocateUninitializedArray<byte>(rgba.Length / 4);
        for (int i = 0, j = 0; i < rgba.Length; i += 4, j++)
            grey[j] = (byte)((rgba[i] * 19595 + rgba[i + 1] * 38470 + rgba[i + 2] * 7471 + 0x8000) >> 16);
        return grey;
    }
}
