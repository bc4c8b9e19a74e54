using ProbeGrid.Analysis.InfoDiscarding;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace ProbeGrid.Tests.InfoDiscarding;

/// <summary>
/// The per-sample pipeline called directly (no grid, no job) on a [2 channels, 2 x 2 pixels] input through a seeded
/// linear layer h = A vec(x), where the maps, the concentration and the saliency have values known in closed form.
/// </summary>
public class SampleDiscardingPipelineTests(ITestOutputHelper output)
{
    private const int Channels = 2, Pixels = 4, Units = Channels * Pixels;
    private static readonly long[] Shape = [Channels, 2, 2];

    // Channel 0 then channel 1, each row-major over the 2 x 2 pixels.
    private static readonly float[] Input = [0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f];

    private static readonly InfoDiscardingOptions Options =
        new() { NoiseBatch = 32, StepsPerRound = 100, MaxRounds = 8, NormalisingSamples = 1024, EvaluationSamples = 4096, Seed = 11 };

    /// <summary>A seeded [rows, 8] weight matrix, row-major, with the columns of <paramref name="ignoredPixel"/> (both channels) zeroed.</summary>
    private static float[] Weights(int rows, ulong seed, int? ignoredPixel = null, float diagonal = 0)
    {
        using var generator = new Generator(seed);
        using var random = torch.randn([rows, Units], generator: generator);
        var w = random.data<float>().ToArray();
        for (var r = 0; r < rows; r++)
            for (var u = 0; u < Units; u++)
            {
                if (r == u) w[r * Units + u] += diagonal;
                if (u % Pixels == ignoredPixel) w[r * Units + u] = 0;
            }
        return w;
    }

    private static FeatureFunction Linear(Tensor a) => new(x => x.flatten(1).matmul(a.t()), "A vec(x)");

    /// <summary>
    /// Pixel 3 is ignored by h in both channels, so both its units' σ stop at the cap and its map value is exactly
    /// log(cap) + ½ log(2πe); every map value is the mean of its pixel's two per-unit values (checked against SID run
    /// alone with the same seed); the concentration on the mask {0, 1, 2} is map[3] minus the mean of the other three;
    /// the saliency of h = A x is the mean over input units of |Σ_j A_ji|.
    /// </summary>
    [Fact]
    public void Maps_are_channel_means_and_an_ignored_pixel_discards_up_to_the_cap()
    {
        var w = Weights(3, seed: 5, ignoredPixel: 3);
        using var a = torch.tensor(w, [3, Units]);
        var h = Linear(a);
        bool[] mask = [true, true, true, false];

        var result = SampleDiscardingPipeline.Measure(h, null, Input, Shape, mask, Options, ruAtSidSigma: false, torch.CPU, CancellationToken.None);
        using var x = torch.tensor(Input, Shape);
        var sid = StrictInformationDiscarding.Estimate(h, x, Options, CancellationToken.None);
        output.WriteLine($"map {string.Join(", ", result.Sid.Pixels.Select(v => v.ToString("F4")))}; H per unit {string.Join(", ", sid.PixelEntropy.Select(v => v.ToString("F4")))}; " +
                         $"λ {result.Sid.Lambda:G4}, ratio {result.Sid.Ratio:G4}, capped {result.Sid.Capped}, concentration {result.Sid.Concentration:G5}, saliency {result.Saliency:G5}");

        Assert.Equal(new PixelGrid(2, 2), result.Grid);
        // The input map by hand: (0.1 + 0.5) / 2, (0.2 + 0.6) / 2, ...
        Assert.Equal([0.3f, 0.4f, 0.5f, 0.6f], result.InputPixels, new Tolerance(1e-7));
        for (var p = 0; p < Pixels; p++)
            Assert.Equal((sid.PixelEntropy[p] + sid.PixelEntropy[Pixels + p]) / 2, result.Sid.Pixels[p], 1e-12);
        Assert.Equal(sid.LayerEntropy, result.Sid.Total);
        Assert.Equal(Channels * result.Sid.Pixels.Sum(), result.Sid.Total, 1e-9);

        Assert.Equal(Math.Log(Options.SigmaCap) + GaussianEntropy.Constant, result.Sid.Pixels[3], 1e-5);
        Assert.Equal(2, result.Sid.Capped);
        Assert.True(result.Sid.Converged);
        // Six free units: the λ search must find 2α/6 = 0.5 (the closed form of StrictInformationDiscardingTests).
        Assert.Equal(0.5, result.Sid.Lambda, 0.05);

        var expectedConcentration = result.Sid.Pixels[3] - (result.Sid.Pixels[0] + result.Sid.Pixels[1] + result.Sid.Pixels[2]) / 3;
        Assert.Equal(expectedConcentration, result.Sid.Concentration!.Value, 1e-12);
        Assert.True(result.Sid.Concentration > 0, "the ignored background pixel must discard more than the object");

        var columnSums = Enumerable.Range(0, Units).Select(u => Math.Abs(Enumerable.Range(0, 3).Sum(r => (double)w[r * Units + u]))).ToList();
        Assert.Equal(columnSums.Average(), result.Saliency, 1e-6);
        Assert.Null(result.Ru);
    }

    /// <summary>
    /// With h = A x (A invertible) and g = A⁻¹, x̂' = x + σ∘δ, so RU measured at SID's σ is Ĥ_i = H_i + ½ log mean(δ_i²):
    /// SID's map up to Monte-Carlo error (4096 draws: a standard error of ½ √(2/4096) ≈ 0.011 a unit). The σ is
    /// given, so RU reports no λ, the same capped units, and no concentration without a mask.
    /// </summary>
    [Fact]
    public void Ru_at_SIDs_sigma_through_the_exact_inverse_repeats_SIDs_map()
    {
        using var a = torch.tensor(Weights(Units, seed: 9, diagonal: 3), [Units, Units]);
        using var inverse = torch.linalg.inv(a.to_type(ScalarType.Float64)).to_type(ScalarType.Float32);
        Func<Tensor, Tensor> g = f => f.matmul(inverse.t()).reshape([-1, .. Shape]);

        var result = SampleDiscardingPipeline.Measure(Linear(a), g, Input, Shape, null, Options, ruAtSidSigma: true, torch.CPU, CancellationToken.None);
        var ru = result.Ru!;
        output.WriteLine($"SID map {string.Join(", ", result.Sid.Pixels.Select(v => v.ToString("F4")))}; RU map {string.Join(", ", ru.Pixels.Select(v => v.ToString("F4")))}; " +
                         $"totals {result.Sid.Total:G5} {ru.Total:G5}; ratios {result.Sid.Ratio:G4} {ru.Ratio:G4}");

        // A pixel's map value averages two units: about 0.008; allow 5 of them (and 5 of √8 × 0.011 for the total).
        Assert.Equal(result.Sid.Pixels, ru.Pixels, new Tolerance(0.04));
        Assert.Equal(result.Sid.Total, ru.Total, 0.16);
        Assert.True(double.IsNaN(ru.Lambda));
        Assert.True(ru.Converged);
        Assert.Equal(result.Sid.Capped, ru.Capped);
        Assert.Null(result.Sid.Concentration);
        Assert.Null(ru.Concentration);
    }

    [Fact]
    public void A_flat_sample_is_one_row_of_pixels()
    {
        Assert.Equal(new PixelGrid(1, 12), PixelGrid.Of([12]));
        Assert.Equal(new PixelGrid(28, 28), PixelGrid.Of([28, 28]));
        Assert.Equal(new PixelGrid(4, 5), PixelGrid.Of([3, 4, 5]));
        // Two channels of two pixels: [1, 2 | 3, 6] averages to [2, 4].
        Assert.Equal([2.0, 4.0], new PixelGrid(1, 2).ChannelMean([1.0, 2.0, 3.0, 6.0]));
    }
}
