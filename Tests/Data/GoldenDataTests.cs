using System.Globalization;
using ProbeGrid.Analysis.Data;

namespace ProbeGrid.Tests.Data;

/// <summary>
/// Every built-in data set loads the same samples, to the bit, as before the catalogue became a registry: the
/// checksums below (to float32 precision where a network made the values) were computed by this test on commit 8a922f0 (static DatasetCatalog with its name switches),
/// from a synthetic Fashion-MNIST folder and fixed seeds.
/// </summary>
public sealed class GoldenDataTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    public GoldenDataTests() => SyntheticFashionMnistFolder.Write(_folder.Path, trainCount: 60, testCount: 12, gzip: false);

    public void Dispose() => _folder.Dispose();

    public static TheoryData<string, string, string> Cases => new()
    {
        // data set, parameters (root added), checksum of every split
        { "fashion-mnist", "trainCount=20 validationCount=10 testCount=8",
            "206.91373226977885/9938.835626177024/93/0/0/0 103.24314064113423/4938.035459586885/47/0/0/0 81.839218379464/3853.4824845017865/27/0/0/0" },
        { "gaussian-sign", "dimension=5 trainCount=20 validationCount=10 testCount=8",
            "9.75444320589304/552.2733476981521/9/0/0/0 2.6338041331619024/195.0382565651089/6/0/0/0 -6.887328058481216/-52.82370962202549/3/0/0/0" },
        { "fashion-mnist-mosaic", "grid=2 itemSize=14 trainCount=8 validationCount=4 testCount=2",
            "56.81274652306456/2708.387324191979/-8/20/0/0 26.05686338758096/1178.7372861686163/-4/9/0/0 17.899020055308938/811.0510022640228/-2/6/0/0" },
        { "random-task", "n=2 seed=3 trainCount=8 validationCount=4 testCount=2",
            "82.58823800692335/3883.03150488995/-8/0/-59.52836945888339/0 41.41568762995303/1861.3686931207776/-4/0/-29.654504940392144/0 20.486275183968246/910.596111214254/-2/0/-15.039867203921858/0" },
        { "fashion-mnist-canvas", "canvas=36 texture=0.2 mask=item trainCount=8 validationCount=4 testCount=2",
            "579.1071960738045/28369.23907942674/33/0/0/5376 279.51749266381375/13489.257171545643/22/0/0/2688 156.97368470369838/7652.000660567777/4/0/0/1343" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Samples_match_the_values_before_the_registry(string name, string spec, string checksum)
    {
        var parameters = spec.Split(' ').Select(p => p.Split('=')).ToDictionary(p => p[0], p => p[1]);
        if (name != "gaussian-sign")
            parameters["root"] = _folder.Path;
        var data = DatasetCatalog.Load(name, parameters, seed: 7);
        var actual = string.Join(" ", new[] { data.Train, data.Validation, data.Test }.Select(Checksum));
        // Each sum to a relative 1e-7: random-task's targets come from a float32 network, whose kernels round differently
        // by CPU and memory alignment (MKL); every other value is exact and would differ far more if a sample changed.
        var (want, got) = (Numbers(checksum), Numbers(actual));
        Assert.Equal(want.Length, got.Length);
        for (var i = 0; i < want.Length; i++)
            Assert.True(Math.Abs(want[i] - got[i]) <= 1e-7 * Math.Max(1, Math.Abs(want[i])), $"checksum part {i}: expected {want[i]:R}, got {got[i]:R} (all: {actual})");
    }

    private static double[] Numbers(string checksum) =>
        [.. checksum.Split([' ', '/']).Select(t => double.Parse(t, CultureInfo.InvariantCulture))];

    /// <summary>Sums over inputs, labels, label sets, regression targets and object masks, in storage order.</summary>
    private static string Checksum(LabeledData split)
    {
        static double Sum(float[]? values) => values?.Sum(v => (double)v) ?? 0;
        var weighted = split.Inputs.Select((v, i) => (double)v * (i % 97 + 1)).Sum(); // order-sensitive: a permuted split changes it
        var masks = split.ObjectMasks?.Count(b => b) ?? 0;
        return string.Create(CultureInfo.InvariantCulture,
            $"{Sum(split.Inputs):R}/{weighted:R}/{split.Labels.Sum()}/{Sum(split.LabelSets):R}/{Sum(split.Targets):R}/{masks}");
    }
}
