using ProbeGrid.Analysis.Activations;
using ProbeGrid.Tests.Checkpoints;

namespace ProbeGrid.Tests.Activations;

public class ActivationCacheTests
{
    private static readonly ActivationCacheKey Key = ActivationCacheKey.For("untrained mlp seed 1", "gaussian-sign seed 3 train", Reduction.Parse("flatten", 0, 0));

    /// <summary>A compute function that records every call and returns tap-specific, call-specific values.</summary>
    private sealed class CountingCompute
    {
        public List<string[]> Calls { get; } = [];

        public ExtractedActivations Compute(IReadOnlyCollection<string> taps)
        {
            Calls.Add([.. taps]);
            var call = Calls.Count;
            return ExtractedActivations.AllFinite(taps.ToDictionary(t => t, t => Matrix(t, call)));
        }

        /// <summary>3 x 2 values that identify the tap and the call that made them.</summary>
        public static FeatureMatrix Matrix(string tap, int call) =>
            new(Enumerable.Range(0, 6).Select(i => 1000f * call + 10f * tap.Length + i).ToArray(), 3, 2);
    }

    private static string EntryFile(ActivationCache cache, ActivationCacheKey key, string tap) =>
        Path.Combine(cache.Root, key.Hash, ActivationCache.FileNameOf(tap));

    [Fact]
    public void A_second_request_with_the_same_key_reads_the_disk_and_does_not_compute()
    {
        using var folder = new TempFolder();
        var compute = new CountingCompute();

        var first = new ActivationCache(folder.Path).GetOrCompute(Key, ["layer1", "logits"], compute.Compute).Features;
        var second = new ActivationCache(folder.Path).GetOrCompute(Key, ["layer1", "logits"], compute.Compute).Features;

        Assert.Single(compute.Calls);
        Assert.Equal(["layer1", "logits"], compute.Calls[0]);
        Assert.Equal(CountingCompute.Matrix("layer1", 1).Data, second["layer1"].Data);
        Assert.Equal(CountingCompute.Matrix("logits", 1).Data, second["logits"].Data);
        Assert.Equal((3, 2), (second["logits"].Rows, second["logits"].Columns));
        Assert.Equal(first["layer1"].Data, second["layer1"].Data);
        Assert.Equal(Key.Text, File.ReadAllText(Path.Combine(folder.Path, Key.Hash, "key.txt")));
    }

    [Fact]
    public void Only_the_taps_missing_from_the_cache_are_computed_and_in_a_single_call()
    {
        using var folder = new TempFolder();
        var cache = new ActivationCache(folder.Path);
        var compute = new CountingCompute();
        cache.GetOrCompute(Key, ["layer1"], compute.Compute);

        var result = cache.GetOrCompute(Key, ["layer1", "layer2", "logits"], compute.Compute).Features;

        Assert.Equal(2, compute.Calls.Count);
        Assert.Equal(["layer2", "logits"], compute.Calls[1]);
        Assert.Equal(CountingCompute.Matrix("layer1", 1).Data, result["layer1"].Data);
        Assert.Equal(CountingCompute.Matrix("layer2", 2).Data, result["layer2"].Data);
        Assert.Equal(CountingCompute.Matrix("logits", 2).Data, result["logits"].Data);
    }

    [Fact]
    public void Different_keys_do_not_share_entries()
    {
        using var folder = new TempFolder();
        var cache = new ActivationCache(folder.Path);
        var compute = new CountingCompute();
        var otherKey = ActivationCacheKey.For("untrained mlp seed 2", "gaussian-sign seed 3 train", Reduction.Parse("flatten", 0, 0));

        cache.GetOrCompute(Key, ["layer1"], compute.Compute);
        var other = cache.GetOrCompute(otherKey, ["layer1"], compute.Compute).Features;

        Assert.Equal(2, compute.Calls.Count);
        Assert.Equal(CountingCompute.Matrix("layer1", 2).Data, other["layer1"].Data);
    }

    [Theory]
    [InlineData("empty")]
    [InlineData("garbage")]
    [InlineData("truncated")]
    [InlineData("vector instead of matrix")]
    [InlineData("huge shape")]
    public void A_corrupted_entry_is_computed_again_and_rewritten_instead_of_failing(string corruption)
    {
        using var folder = new TempFolder();
        var cache = new ActivationCache(folder.Path);
        var compute = new CountingCompute();
        cache.GetOrCompute(Key, ["layer1", "logits"], compute.Compute);
        var file = EntryFile(cache, Key, "layer1");
        var bytes = corruption switch
        {
            "empty" => [],
            "garbage" => "not a numpy file at all"u8.ToArray(),
            "truncated" => File.ReadAllBytes(file)[..^5],
            "vector instead of matrix" => VectorFile(),
            "huge shape" => HugeShapeFile(File.ReadAllBytes(file)),
            _ => throw new ArgumentOutOfRangeException(nameof(corruption)),
        };
        File.WriteAllBytes(file, bytes);

        var result = cache.GetOrCompute(Key, ["layer1", "logits"], compute.Compute).Features;

        Assert.Equal(2, compute.Calls.Count);
        Assert.Equal(["layer1"], compute.Calls[1]);
        Assert.Equal(CountingCompute.Matrix("layer1", 2).Data, result["layer1"].Data);
        Assert.Equal(CountingCompute.Matrix("logits", 1).Data, result["logits"].Data);
        using var stream = File.OpenRead(file);
        Assert.Equal(CountingCompute.Matrix("layer1", 2).Data, NpyFile.ReadMatrix(stream, file).Data);
    }

    /// <summary>The entry with its shape (3, 2) rewritten to a number of rows that overflows an int.</summary>
    private static byte[] HugeShapeFile(byte[] entry)
    {
        var header = System.Text.Encoding.ASCII.GetString(entry, 0, 128).Replace("(3, 2)", "(99999999999, 2)");
        var grown = header.Length - 128;
        header = header.Remove(header.Length - 1 - grown, grown); // take the growth out of the padding: still 128 bytes
        Assert.EndsWith(" \n", header);
        return [.. System.Text.Encoding.ASCII.GetBytes(header), .. entry[128..]];
    }

    private static byte[] VectorFile()
    {
        using var stream = new MemoryStream();
        NpyFile.WriteVector(stream, [1, 2, 3]);
        return stream.ToArray();
    }

    [Fact]
    public void Tap_names_become_safe_file_names()
    {
        Assert.Equal("conv1_preact.npy", ActivationCache.FileNameOf("conv1_preact"));
        Assert.Equal("block.2-out.npy", ActivationCache.FileNameOf("block.2-out"));
        Assert.Equal("a_b_c__d.npy", ActivationCache.FileNameOf("a/b\\c:*d"));
        Assert.Equal(".._etc_passwd.npy", ActivationCache.FileNameOf("../etc/passwd"));
    }

    [Fact]
    public void A_tap_with_path_characters_stays_inside_its_entry_folder()
    {
        using var folder = new TempFolder();
        var cache = new ActivationCache(folder.Path);
        var compute = new CountingCompute();

        cache.GetOrCompute(Key, ["../../escape"], compute.Compute);

        var files = Directory.GetFiles(folder.Path, "*", SearchOption.AllDirectories);
        Assert.All(files, f => Assert.StartsWith(Path.Combine(cache.Root, Key.Hash), Path.GetFullPath(f)));
        Assert.Contains(files, f => Path.GetFileName(f) == ".._.._escape.npy");
    }
}
