using ProbeGrid.Analysis.Data;

namespace ProbeGrid.Tests.Data;

/// <summary>
/// A small folder laid out like Fashion-MNIST's. Image k stores k in its first two pixels
/// (k % 256, k / 256) so a test can tell which file item each loaded sample came from; its label
/// is k % 10.
/// </summary>
public static class SyntheticFashionMnistFolder
{
    private const int Pixels = FashionMnist.ImageSide * FashionMnist.ImageSide;

    public static void Write(string folder, int trainCount, int testCount, bool gzip)
    {
        var suffix = gzip ? ".gz" : "";
        IdxFileWriter.Write(Path.Combine(folder, FashionMnist.TrainImagesFile + suffix), Images(trainCount), gzip);
        IdxFileWriter.Write(Path.Combine(folder, FashionMnist.TrainLabelsFile + suffix), Labels(trainCount), gzip);
        IdxFileWriter.Write(Path.Combine(folder, FashionMnist.TestImagesFile + suffix), Images(testCount), gzip);
        IdxFileWriter.Write(Path.Combine(folder, FashionMnist.TestLabelsFile + suffix), Labels(testCount), gzip);
    }

    public static byte[] Images(int count) =>
        IdxFileWriter.UnsignedBytes([count, FashionMnist.ImageSide, FashionMnist.ImageSide], i =>
        {
            var (k, p) = (i / Pixels, i % Pixels);
            return p switch { 0 => (byte)(k % 256), 1 => (byte)(k / 256), 2 => 255, _ => (byte)(p % 7) };
        });

    public static byte[] Labels(int count) => IdxFileWriter.UnsignedBytes([count], i => (byte)(i % 10));

    /// <summary>The file index encoded in sample <paramref name="sample"/> of <paramref name="data"/>.</summary>
    public static int FileIndexOf(LabeledData data, int sample)
    {
        var offset = sample * data.SampleSize;
        return (int)MathF.Round(data.Inputs[offset] * 255f) + 256 * (int)MathF.Round(data.Inputs[offset + 1] * 255f);
    }
}
