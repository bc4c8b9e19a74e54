using System.Buffers;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.Data.ImageFolder;

/// <summary>
/// torchvision's eval transform on tensors, op for op: Resize (torch's bilinear interpolate with antialias=True on the
/// bytes as float, rounded back to bytes as torchvision's tensor Resize does for uint8 images), CenterCrop (zero padding
/// when the image is smaller, offsets rounded half to even as Python's round), then ToTensor's division by 255 and Normalize.
/// The first two give whole byte levels (<see cref="Crop"/>), which a compact or streamed split keeps and normalises per batch
/// (<see cref="Normalize"/>).
/// </summary>
public sealed class ImageTransform(ImageFolderSettings settings)
{
    private readonly (int Height, int Width)? resize = settings.Resize;
    private readonly (int Height, int Width) crop = settings.Crop;
    private readonly int channels = settings.Channels;
    private readonly float[][] levels = Levels(settings.Mean, settings.Std);

    /// <summary>The size Resize gives an image of <paramref name="height"/> x <paramref name="width"/> (torchvision's _compute_resized_output_size).</summary>
    public (int Height, int Width) ResizedSize(int height, int width)
    {
        if (resize is not { } r) return (height, width);
        if (r.Width > 0) return r;
        var (shortSide, longSide) = width <= height ? (width, height) : (height, width);
        // int(requested * long / short) in Python: a double quotient, truncated.
        var newLong = (int)((double)r.Height * longSide / shortSide);
        return width <= height ? (newLong, r.Height) : (r.Height, newLong);
    }

    /// <summary>Values in one transformed sample: channels x crop height x crop width.</summary>
    public int SampleSize => channels * crop.Height * crop.Width;

    /// <summary>Transforms <paramref name="image"/> into <paramref name="target"/> (channels x crop height x crop width floats).</summary>
    /// <remarks>The same values as <see cref="Crop"/> then <see cref="Normalize"/>, which is how it computes them.</remarks>
    public void Apply(DecodedImage image, Span<float> target)
    {
        if (target.Length != SampleSize) throw new ArgumentException($"the target holds {target.Length} floats, a sample {SampleSize}", nameof(target));
        var pixels = ArrayPool<byte>.Shared.Rent(SampleSize);
        try
        {
            Crop(image, pixels.AsSpan(0, SampleSize));
            Normalize(pixels.AsSpan(0, SampleSize), target);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(pixels);
        }
    }

    /// <summary>
    /// Resizes and centre-crops <paramref name="image"/> into <paramref name="target"/> (channels x crop height x crop width bytes):
    /// every value is a whole byte level there, before ToTensor's division, so the bytes keep the sample exactly in a quarter of
    /// the floats' memory.
    /// </summary>
    /// <remarks>
    /// Only the resize runs on torch (its antialiased kernel is the one torchvision calls). Rounding and cropping are
    /// element-wise and give the same bits in C#, and each torch op here would start a parallel region of its own per
    /// image, which costs more than the work on a busy machine.
    /// </remarks>
    public void Crop(DecodedImage image, Span<byte> target)
    {
        if (image.Channels != channels) throw new ArgumentException($"the image has {image.Channels} channels, the transform {channels}", nameof(image));
        if (target.Length != SampleSize) throw new ArgumentException($"the target holds {target.Length} bytes, a sample {SampleSize}", nameof(target));

        var (height, width) = ResizedSize(image.Height, image.Width);
        var planes = Planes(image);
        if ((height, width) != (image.Height, image.Width)) // torchvision returns the image untouched at its own size
            planes = Resized(planes, channels, image.Height, image.Width, height, width);

        // CenterCrop: zero padding split as torchvision's pad (left/top get the smaller half), then offsets rounded half to even.
        var padTop = crop.Height > height ? (crop.Height - height) / 2 : 0;
        var padLeft = crop.Width > width ? (crop.Width - width) / 2 : 0;
        var (paddedHeight, paddedWidth) = (Math.Max(height, crop.Height), Math.Max(width, crop.Width));
        var top = (int)Math.Round((paddedHeight - crop.Height) / 2.0, MidpointRounding.ToEven) - padTop;
        var left = (int)Math.Round((paddedWidth - crop.Width) / 2.0, MidpointRounding.ToEven) - padLeft;
        for (var c = 0; c < channels; c++)
        {
            for (var y = 0; y < crop.Height; y++)
            {
                var row = target.Slice((c * crop.Height + y) * crop.Width, crop.Width);
                var sourceY = top + y;
                for (var x = 0; x < crop.Width; x++)
                {
                    var sourceX = left + x;
                    // Planes hold whole levels 0 to 255 (bytes, or the resize rounded and clamped): the cast is exact.
                    row[x] = sourceY < 0 || sourceY >= height || sourceX < 0 || sourceX >= width
                        ? (byte)0
                        : (byte)planes[(c * height + sourceY) * width + sourceX];
                }
            }
        }
    }

    /// <summary>
    /// ToTensor's division by 255 then Normalize, in float32 and in that order, of cropped samples (<see cref="Crop"/>'s
    /// layout, any number of them one after another) into <paramref name="target"/>.
    /// </summary>
    public void Normalize(ReadOnlySpan<byte> pixels, Span<float> target)
    {
        if (pixels.Length % SampleSize != 0 || target.Length != pixels.Length)
            throw new ArgumentException($"{pixels.Length} bytes into {target.Length} floats are not whole samples of {SampleSize}", nameof(target));
        var plane = crop.Height * crop.Width;
        for (var start = 0; start < pixels.Length; start += plane)
        {
            var table = levels[start / plane % channels];
            var source = pixels.Slice(start, plane);
            var destination = target.Slice(start, plane);
            for (var i = 0; i < source.Length; i++) destination[i] = table[source[i]];
        }
    }

    /// <summary>Each channel's 256 normalised levels, (level / 255 - mean) / std in float32: a table look-up per value.</summary>
    private static float[][] Levels(float[] mean, float[] std) =>
        [.. mean.Select((m, c) => Enumerable.Range(0, 256).Select(level => ((float)level / 255f - m) / std[c]).ToArray())];

    /// <summary>The bytes as float planes, channel by channel (HWC to CHW).</summary>
    private static float[] Planes(DecodedImage image)
    {
        var (channels, pixels) = (image.Channels, image.Height * image.Width);
        var planes = GC.AllocateUninitializedArray<float>(channels * pixels);
        for (var p = 0; p < pixels; p++)
            for (var c = 0; c < channels; c++)
                planes[c * pixels + p] = image.Pixels[p * channels + c];
        return planes;
    }

    /// <summary>torch's bilinear antialiased interpolate (align_corners=False), rounded half to even back to byte values as torchvision's uint8 Resize.</summary>
    private static float[] Resized(float[] planes, int channels, int height, int width, int newHeight, int newWidth)
    {
        var resized = GC.AllocateUninitializedArray<float>(channels * newHeight * newWidth);
        using (NewDisposeScope())
        {
            var x = tensor(planes, [1, channels, height, width]);
            var y = nn.functional.interpolate(x, [newHeight, newWidth], mode: InterpolationMode.Bilinear, align_corners: false, antialias: true);
            y.contiguous().data<float>().CopyTo(resized);
        }
        for (var i = 0; i < resized.Length; i++) resized[i] = Math.Clamp(MathF.Round(resized[i], MidpointRounding.ToEven), 0f, 255f);
        return resized;
    }
}
