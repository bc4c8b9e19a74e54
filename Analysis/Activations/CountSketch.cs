using System.Collections.Concurrent;
using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.Activations;

/// <summary>
/// A count sketch (Charikar, Chen and Farach-Colton 2002), the sparsest Johnson–Lindenstrauss
/// map (Clarkson and Woodruff 2013): input coordinate i is added, with sign s(i) = ±1, to output
/// coordinate h(i); as a matrix, one ±1 per input coordinate. Over the draw of h and s,
/// E[⟨Px,Py⟩] = ⟨x,y⟩ and Var[‖Px‖²] = (2/k)(‖x‖⁴ − Σx_i⁴), at most the 2‖x‖⁴/k of a Gaussian
/// projection; applying it costs one add per input value instead of k multiply-adds.
/// </summary>
public sealed class CountSketch
{
    private const int MaxRemembered = 256;
    private static readonly ConcurrentDictionary<(long Seed, string Tap, int InputSize, int OutputSize), CountSketch> Remembered = new();

    private readonly int[] buckets;
    private readonly bool[] negative;

    /// <param name="buckets">h(i) in [0, outputSize) for every input coordinate i.</param>
    /// <param name="negative">whether s(i) = −1.</param>
    public CountSketch(int[] buckets, bool[] negative, int outputSize)
    {
        if (buckets.Length != negative.Length)
            throw new ArgumentException($"{buckets.Length} buckets but {negative.Length} signs: give one of each per input coordinate");
        ArgumentOutOfRangeException.ThrowIfLessThan(outputSize, 1);
        var bad = Array.FindIndex(buckets, b => b < 0 || b >= outputSize);
        if (bad >= 0) throw new ArgumentException($"bucket {buckets[bad]} of coordinate {bad} is outside [0, {outputSize})");
        (this.buckets, this.negative, OutputSize) = (buckets, negative, outputSize);
    }

    public int InputSize => buckets.Length;

    public int OutputSize { get; }

    /// <summary>
    /// The sketch of tap <paramref name="tap"/> for <paramref name="seed"/>: drawn once per process
    /// from SplitMix64 in managed code (the same on every device and platform), then remembered.
    /// </summary>
    public static CountSketch For(long seed, string tap, int inputSize, int outputSize)
    {
        var key = (seed, tap, inputSize, outputSize);
        if (Remembered.TryGetValue(key, out var known)) return known;
        if (Remembered.Count >= MaxRemembered) Remembered.Clear(); // a bound, not a policy: drawing again is cheap
        return Remembered.GetOrAdd(key, _ => Draw(ActivationReducer.StableSeed(seed, tap), inputSize, outputSize));
    }

    /// <summary>h(i) and s(i) from the i-th output of SplitMix64 started at <paramref name="state"/>.</summary>
    internal static CountSketch Draw(long state, int inputSize, int outputSize)
    {
        var buckets = new int[inputSize];
        var negative = new bool[inputSize];
        var z = unchecked((ulong)state);
        for (var i = 0; i < inputSize; i++)
        {
            var r = SplitMix64(ref z);
            buckets[i] = (int)(((r >> 32) * (ulong)outputSize) >> 32); // top 32 bits scaled: uniform to within 2^-32
            negative[i] = (r & 1) == 1;
        }
        return new CountSketch(buckets, negative, outputSize);
    }

    private static ulong SplitMix64(ref ulong state)
    {
        var z = unchecked(state += 0x9E3779B97F4A7C15UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }

    /// <summary>
    /// The scatter index of <see cref="Apply"/> on <paramref name="device"/>: h(i), plus k where
    /// s(i) = −1, so the signs cost no multiply. Make it once and keep it for every batch.
    /// </summary>
    public Tensor ScatterIndex(Device device)
    {
        var index = new long[buckets.Length];
        for (var i = 0; i < index.Length; i++) index[i] = buckets[i] + (negative[i] ? OutputSize : 0);
        return torch.tensor(index, device: device);
    }

    /// <summary>
    /// P x for every row of <paramref name="flat"/> ([batch, InputSize]) as [batch, OutputSize]:
    /// positive and negative parts summed into 2k buckets by one scatter-add, then subtracted.
    /// On the CPU each output sums its inputs in coordinate order, so a row's result does not
    /// depend on the batch it came in; CUDA's scatter-add uses atomics and does not promise that.
    /// </summary>
    public Tensor Apply(Tensor flat, Tensor scatterIndex)
    {
        if (flat.dim() != 2 || flat.shape[1] != InputSize)
            throw new ArgumentException($"expected [batch, {InputSize}] rows to sketch, got [{string.Join(", ", flat.shape)}]");
        var batch = flat.shape[0];
        using var sums = torch.zeros([batch, 2L * OutputSize], dtype: flat.dtype, device: flat.device)
            .scatter_add_(1, scatterIndex.expand(batch, InputSize), flat);
        return sums.narrow(1, 0, OutputSize) - sums.narrow(1, OutputSize, OutputSize);
    }
}
