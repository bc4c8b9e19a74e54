using ProbeGrid.Analysis.Activations;
using ProbeGrid.Tests.Checkpoints;

namespace ProbeGrid.Tests.Activations;

/// <summary>
/// A cache entry is only returned when its checksum file vouches for it: damage that still parses (a zeroed
/// body, a flipped byte, a rewritten shape), a missing checksum or another producer's checksum is a
/// recompute with a warning, never a result.
/// </summary>
public class ActivationCacheVerificationTests
{
    private static readonly ActivationCacheKey Key = ActivationCacheKey.For("untrained mlp seed 1", "gaussian-sign seed 3 train", Reduction.Parse("flatten", 0, 0));

    private const int Rows = 50, Columns = 8;

    /// <summary>Counts calls; each call's values differ, so a result shows which call made it.</summary>
    private sealed class CountingCompute
    {
        public int Calls { get; private set; }

        public ExtractedActivations Compute(IReadOnlyCollection<string> taps)
        {
            var call = ++Calls;
            return ExtractedActivations.AllFinite(taps.ToDictionary(t => t, t => Matrix(t, call)));
        }

        public static FeatureMatrix Matrix(string tap, int call) =>
            new(Enumerable.Range(0, Rows * Columns).Select(i => 1 + 1000f * call + 10f * tap.Length + i * 0.25f).ToArray(), Rows, Columns);
    }

    private static string EntryFile(ActivationCache cache, ActivationCacheKey key, string tap) =>
        Path.Combine(cache.Root, key.Hash, ActivationCache.FileNameOf(tap));

    /// <summary>The .npy header's length: the data starts after it.</summary>
    private static int HeaderLength(byte[] npy) => 10 + BitConverter.ToUInt16(npy, 8);

    public static TheoryData<string> Damages => ["zeroed body", "flipped byte in the body", "flipped byte in the last value", "shape rewritten", "bytes appended"];

    [Theory]
    [MemberData(nameof(Damages))]
    public void Damage_that_still_parses_is_recomputed_with_a_warning_never_returned(string damage)
    {
        using var folder = new TempFolder();
        var log = new RecordingLogger();
        var cache = new ActivationCache(folder.Path, log);
        var compute = new CountingCompute();
        cache.GetOrCompute(Key, ["layer1", "logits"], compute.Compute);
        var file = EntryFile(cache, Key, "layer1");
        var bytes = File.ReadAllBytes(file);
        var header = HeaderLength(bytes);
        switch (damage)
        {
            case "zeroed body": Array.Clear(bytes, header, bytes.Length - header); break;
            case "flipped byte in the body": bytes[header + 123] ^= 0x01; break;
            case "flipped byte in the last value": bytes[^1] ^= 0x80; break;
            case "shape rewritten":
                var text = System.Text.Encoding.Latin1.GetString(bytes, 0, header).Replace($"({Rows}, {Columns})", $"({Columns}, {Rows})");
                System.Text.Encoding.Latin1.GetBytes(text).CopyTo(bytes, 0);
                break;
            case "bytes appended": bytes = [.. bytes, 0, 0, 0, 0]; break;
        }
        File.WriteAllBytes(file, bytes);
        // The damaged file is still a valid .npy file: only the checksum can tell.
        using (var stream = new MemoryStream(bytes)) NpyFile.ReadMatrix(stream, file);

        var result = cache.GetOrCompute(Key, ["layer1", "logits"], compute.Compute);

        Assert.Equal(2, compute.Calls);
        Assert.Equal(CountingCompute.Matrix("layer1", 2).Data, result.Features["layer1"].Data);
        Assert.Equal(CountingCompute.Matrix("logits", 1).Data, result.Features["logits"].Data);
        var warning = Assert.Single(log.Warnings);
        Assert.Contains(file, warning);
        Assert.Contains("does not match its checksum", warning);
        Assert.Contains("recomputing it", warning);
        // Rewritten with a fresh checksum: the next read is a hit again.
        Assert.Equal(CountingCompute.Matrix("layer1", 2).Data, cache.GetOrCompute(Key, ["layer1"], compute.Compute).Features["layer1"].Data);
        Assert.Equal(2, compute.Calls);
    }

    [Fact]
    public void An_entry_without_its_checksum_file_is_recomputed_with_a_warning()
    {
        using var folder = new TempFolder();
        var log = new RecordingLogger();
        var cache = new ActivationCache(folder.Path, log);
        var compute = new CountingCompute();
        cache.GetOrCompute(Key, ["layer1"], compute.Compute);
        var file = EntryFile(cache, Key, "layer1");
        File.Delete(file + ".sum");

        var result = cache.GetOrCompute(Key, ["layer1"], compute.Compute);

        Assert.Equal(2, compute.Calls);
        Assert.Equal(CountingCompute.Matrix("layer1", 2).Data, result.Features["layer1"].Data);
        Assert.Contains("has no valid checksum file", Assert.Single(log.Warnings));
        Assert.True(File.Exists(file + ".sum"));
    }

    [Fact]
    public void An_entry_copied_from_another_producer_with_its_checksum_is_recomputed_with_a_warning()
    {
        using var folder = new TempFolder();
        var log = new RecordingLogger();
        var cache = new ActivationCache(folder.Path, log);
        var compute = new CountingCompute();
        var other = ActivationCacheKey.For("untrained mlp seed 2", "gaussian-sign seed 3 train", Reduction.Parse("flatten", 0, 0));
        cache.GetOrCompute(other, ["layer1"], compute.Compute);
        // The other weights' file and its (self-consistent) checksum put where this key's entry belongs.
        var target = EntryFile(cache, Key, "layer1");
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(EntryFile(cache, other, "layer1"), target);
        File.Copy(EntryFile(cache, other, "layer1") + ".sum", target + ".sum");

        var result = cache.GetOrCompute(Key, ["layer1"], compute.Compute);

        Assert.Equal(2, compute.Calls);
        Assert.Equal(CountingCompute.Matrix("layer1", 2).Data, result.Features["layer1"].Data);
        Assert.Contains("was produced by other weights", Assert.Single(log.Warnings));
    }

    [Fact]
    public void A_checksum_file_that_belongs_to_another_tap_of_the_same_file_name_is_not_trusted()
    {
        using var folder = new TempFolder();
        var log = new RecordingLogger();
        var cache = new ActivationCache(folder.Path, log);
        var compute = new CountingCompute();
        // "a/b" and "a_b" share the file a_b.npy: the second must not read the first's data as its own.
        cache.GetOrCompute(Key, ["a/b"], compute.Compute);

        var result = cache.GetOrCompute(Key, ["a_b"], compute.Compute);

        Assert.Equal(2, compute.Calls);
        Assert.Equal(CountingCompute.Matrix("a_b", 2).Data, result.Features["a_b"].Data);
        Assert.Contains("was produced by other weights", Assert.Single(log.Warnings));
    }

    [Fact]
    public void A_tap_reported_as_not_finite_is_returned_as_such_and_never_stored()
    {
        using var folder = new TempFolder();
        var cache = new ActivationCache(folder.Path);
        var calls = new List<string[]>();
        ExtractedActivations Compute(IReadOnlyCollection<string> taps)
        {
            calls.Add([.. taps]);
            var finite = taps.Where(t => t != "logits").ToDictionary(t => t, t => CountingCompute.Matrix(t, 1));
            var bad = taps.Where(t => t == "logits").ToDictionary(t => t, t => new NonFiniteTap(t, 3, float.NaN, new NonFiniteParameter("out.weight", 17, float.NaN)));
            return new ExtractedActivations(finite, bad);
        }

        var first = cache.GetOrCompute(Key, ["layer1", "logits"], Compute);
        var second = cache.GetOrCompute(Key, ["layer1", "logits"], Compute);

        Assert.Equal(["layer1"], first.Features.Keys);
        Assert.Equal(3, first.NonFinite["logits"].Sample);
        Assert.False(File.Exists(EntryFile(cache, Key, "logits")));
        Assert.Equal([["layer1", "logits"], ["logits"]], calls);
        Assert.Equal(CountingCompute.Matrix("layer1", 1).Data, second.Features["layer1"].Data);
        Assert.Equal("tap 'logits' produced NaN at sample 3; the checkpoint's parameter out.weight holds NaN (element 17)", second.NonFinite["logits"].Describe());
    }
}
