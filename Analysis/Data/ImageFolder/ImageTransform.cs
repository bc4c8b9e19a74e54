using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.Data.ImageFolder;

/// <summary>
/// torchvision's eval transform on tensors, op for op: Resize (bilinear, antialias=True, on the bytes as float, rounded
/// back to bytes as torchvision's tensor Resize does for uint8 images), CenterCrop (zero padding when the image is
/// smaller, offsets rounded half to even as Python's round), then ToTensor's division by 255 and Normalize.
/// </summary>
public sealed class ImageTransform(ImageFolderSettings settings)
{
    private readonly (int Height, int Width)? resize = settings.Resize;
    private readonly (int Height, int Width) crop = settings.Crop;
    private readonly float[] mean = settings.Mean;
    private readonly float[] std = settings.Std;

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

    /// <summary>Transforms <paramref name="image"/> into <paramref name="target"/> (channels x crop height x crop width floats).</summary>
    public void Apply(DecodedImage image, Span<float> target)
    {
        var size = image.Channels * crop.Height * crop.Width;
        if (target.Length != size) throw new ArgumentException($"the target holds {target.Length} floats, a sample {size}", nameof(target));
        using var scope = NewDisposeScope();
        var x = tensor(image.Pixels, [image.Height, image.Width, image.Channels], ScalarType.Byte).permute(2, 0, 1).unsqueeze(0).to_type(ScalarType.Float32);

        var (height, width) = ResizedSize(image.Height, image.Width);
        if ((height, width) != (image.Height, image.Width)) // torchvision returns the image untouched at its own size
            x = nn.functional.interpolate(x, [height, width], mode: InterpolationMode.Bilinear, align_corners: false, antialias: true).round().clamp(0, 255);

        if (crop.Height > height || crop.Width > width)
        {
            var padWidth = Math.Max(0, crop.Width - width);
            var padHeight = Math.Max(0, crop.Height - height);
            x = nn.functional.pad(x, [padWidth / 2, (padWidth + 1) / 2, padHeight / 2, (padHeight + 1) / 2]);
            (height, width) = (height + padHeight, width + padWidth);
        }
        var top = (int)Math.Round((height - crop.Height) / 2.0, MidpointRounding.ToEven);
        var left = (int)Math.Round((width - crop.Width) / 2.0, MidpointRounding.ToEven);
        x = x.narrow(2, top, crop.Height).narrow(3, left, crop.Width);

        var channels = image.Channels;
        x = x.div(255f).sub(tensor(mean, [1, channels, 1, 1])).div(tensor(std, [1, channels, 1, 1]));
        x.contiguous().data<float>().CopyTo(target);
    }
}
