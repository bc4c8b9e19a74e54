namespace ProbeGrid.Analysis.Data;

/// <summary>
/// The synthetic task of the linear-probe paper's Fig. 3 (Alain &amp; Bengio 2016): inputs
/// x ~ N(0, I_d), one random direction w ~ N(0, I_d) per data set, and label y = 1 if xᵀw &gt; 0
/// else 0. Two classes, linearly separable by construction, balanced in expectation.
/// Everything follows from the seed: the same seed gives the same w and samples, another seed
/// another w. Each split is drawn from its own stream, so changing one split's size leaves the
/// others unchanged.
/// </summary>
public static class GaussianSignDataset
{
    public const int DefaultDimension = 128;
    public const int ClassCount = 2;

    /// <summary>Splits of shape [<paramref name="dimension"/>] with labels 0/1.</summary>
    /// <exception cref="ArgumentException">A size is out of range; the message lists every problem.</exception>
    public static DatasetSplits Generate(int dimension, int trainCount, int validationCount, int testCount, long seed)
    {
        var problems = ParameterProblems(dimension, trainCount, validationCount, testCount);
        if (problems.Count > 0)
            throw new ArgumentException("Gaussian-sign data set parameters are invalid: " + string.Join("; ", problems) + ".");

        var w = Direction(dimension, seed);
        return new DatasetSplits(
            Sample(w, trainCount, SeededRandom.Create(seed, stream: 1)),
            Sample(w, validationCount, SeededRandom.Create(seed, stream: 2)),
            Sample(w, testCount, SeededRandom.Create(seed, stream: 3)));
    }

    /// <summary>The direction w that labels the data set of this seed and dimension.</summary>
    public static float[] Direction(int dimension, long seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        var w = new float[dimension];
        new NormalSampler(SeededRandom.Create(seed, stream: 0)).Fill(w);
        return w;
    }

    /// <summary>The label of <paramref name="x"/> under <paramref name="w"/>: 1 when xᵀw &gt; 0 (summed in double, in index order).</summary>
    public static long Label(ReadOnlySpan<float> x, ReadOnlySpan<float> w)
    {
        double dot = 0;
        for (var i = 0; i < x.Length; i++) dot += (double)x[i] * w[i];
        return dot > 0 ? 1 : 0;
    }

    /// <summary>Every problem with the sizes, without generating anything.</summary>
    internal static IReadOnlyList<string> ParameterProblems(int dimension, int trainCount, int validationCount, int testCount)
    {
        var problems = new List<string>();
        if (dimension < 1) problems.Add($"dimension must be at least 1 (got {dimension})");
        foreach (var (name, count) in new[] { ("trainCount", trainCount), ("validationCount", validationCount), ("testCount", testCount) })
        {
            if (count < 1) problems.Add($"{name} must be at least 1 (got {count})");
            else if (dimension >= 1 && (long)count * dimension > Array.MaxLength)
                problems.Add($"{name} x dimension must be at most {Array.MaxLength} values, the largest array .NET holds (got {count} x {dimension}); lower one of them");
        }
        return problems;
    }

    private static LabeledData Sample(float[] w, int count, Random random)
    {
        var d = w.Length;
        var inputs = new float[count * d];
        var labels = new long[count];
        var sampler = new NormalSampler(random);
        for (var k = 0; k < count; k++)
        {
            var x = inputs.AsSpan(k * d, d);
            sampler.Fill(x);
            labels[k] = Label(x, w);
        }
        return new LabeledData(inputs, [d], labels, ClassCount);
    }

    /// <summary>Standard normal draws by the Box–Muller transform, both values of each pair used.</summary>
    private sealed class NormalSampler(Random random)
    {
        private double? _spare;

        public void Fill(Span<float> target)
        {
            for (var i = 0; i < target.Length; i++) target[i] = (float)Next();
        }

        private double Next()
        {
            if (_spare is { } spare)
            {
                _spare = null;
                return spare;
            }
            var u1 = 1.0 - random.NextDouble(); // (0, 1]: keeps Log finite
            var u2 = random.NextDouble();
            var radius = Math.Sqrt(-2.0 * Math.Log(u1));
            var angle = 2.0 * Math.PI * u2;
            _spare = radius * Math.Sin(angle);
            return radius * Math.Cos(angle);
        }
    }
}
