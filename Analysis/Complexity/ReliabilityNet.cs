using ProbeGrid.Analysis.Zoo;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.Complexity;

/// <summary>
/// The network that extracts reliable feature components (paper section 3.2, appendix B): one shared
/// <see cref="DisentanglerTrunk"/> with l ReLU layers feeds K parallel linear heads (bias-free 1x1
/// convolutions, as in the authors' code), head k mimicking network k's feature f_k(x); network 0 is the
/// one analysed, 1..K−1 are exemplary peers. K linear reconstructors g_k (bias-free 1x1 convolutions)
/// map head k's output back to the trunk's feature space, so that one cycle round
/// z → (1/K) Σ_k g_k(head_k(z)) keeps only what every head can express. The reliable component of
/// network 0 is head_0 of the trunk's feature after T such rounds.
/// The features may differ in channels but must share one map size (the heads are 1x1).
/// </summary>
public sealed class ReliabilityNet : nn.Module
{
    private readonly DisentanglerTrunk trunk;
    private readonly ModuleList<Conv2d> heads;
    private readonly ModuleList<Conv2d> reconstructors;

    /// <param name="order">l, the trunk's ReLU layers (3m + 1).</param>
    /// <param name="width">r, the trunk's width factor.</param>
    /// <param name="inputShape">[C, H, W] of one input sample.</param>
    /// <param name="featureShapes">[C_k, H, W] of each network's feature; network 0 first; one map size.</param>
    /// <exception cref="ArgumentException">Lists every problem with the arguments.</exception>
    public ReliabilityNet(int order, double width, long[] inputShape, IReadOnlyList<long[]> featureShapes, long seed) : base(nameof(ReliabilityNet))
    {
        var problems = Problems(order, width, inputShape, featureShapes).ToList();
        if (problems.Count > 0) throw new ArgumentException("reliability net: " + string.Join("; ", problems));
        Order = order;
        trunk = new DisentanglerTrunk(order, width, inputShape, featureShapes[0][1], featureShapes[0][2]);
        heads = new ModuleList<Conv2d>(featureShapes.Select(s => nn.Conv2d(trunk.OutputChannels, s[0], kernel_size: 1, bias: false)).ToArray());
        reconstructors = new ModuleList<Conv2d>(featureShapes.Select(s => nn.Conv2d(s[0], trunk.OutputChannels, kernel_size: 1, bias: false)).ToArray());
        RegisterComponents();

        using var generator = new Generator(unchecked((ulong)seed));
        trunk.Initialize(generator);
        foreach (var head in heads) WeightInit.Apply(WeightInit.HeNormal, head.weight!, null, generator);
        // Glorot, not He: g_k is linear, and a cycle round should neither blow up nor shrink the feature at the start.
        foreach (var g in reconstructors) WeightInit.Apply(WeightInit.GlorotNormal, g.weight!, null, generator);
    }

    /// <summary>l: the ReLU layers of the shared trunk.</summary>
    public int Order { get; }

    /// <summary>K: the networks whose features the heads mimic.</summary>
    public int Networks => heads.Count;

    /// <summary>Channels of the shared feature z (the trunk's output), where the cycle rounds run.</summary>
    public long SharedChannels => trunk.OutputChannels;

    /// <summary>Every problem with the arguments; empty when a net can be built.</summary>
    public static IEnumerable<string> Problems(int order, double width, long[] inputShape, IReadOnlyList<long[]> featureShapes)
    {
        if (featureShapes.Count < 2)
        {
            yield return $"{featureShapes.Count} feature(s): give the analysed network's feature and at least one peer's (the paper uses K = 3)";
            yield break;
        }
        foreach (var problem in featureShapes.SelectMany(s => DisentanglerNet.Problems(order, width, inputShape, s)).Distinct())
            yield return problem;
        var first = featureShapes[0];
        for (var k = 1; k < featureShapes.Count; k++)
            if (first.Length == 3 && featureShapes[k].Length == 3 && (featureShapes[k][1] != first[1] || featureShapes[k][2] != first[2]))
                yield return $"feature {k}'s map {featureShapes[k][1]}x{featureShapes[k][2]} differs from feature 0's {first[1]}x{first[2]}: " +
                             "tap the same layer in every network, or pool the features to one map size";
    }

    /// <summary>The shared feature z(x): the trunk's output.</summary>
    public Tensor Shared(Tensor x) => trunk.forward(x);

    /// <summary>head_k(z): network k's linear head, a bias-free 1x1 convolution.</summary>
    public Tensor Head(int k, Tensor shared) => heads[k].forward(shared);

    /// <summary>g_k(y): maps head k's output back to the shared feature's space.</summary>
    public Tensor Reconstruct(int k, Tensor headOutput) => reconstructors[k].forward(headOutput);

    /// <summary>The 1x1 kernel of head k, [C_k, SharedChannels, 1, 1].</summary>
    public Tensor HeadWeight(int k) => heads[k].weight!;

    /// <summary>One cycle round: (1/K) Σ_k g_k(head_k(z)).</summary>
    public Tensor CycleRound(Tensor shared)
    {
        using var scope = torch.NewDisposeScope();
        var sum = Reconstruct(0, Head(0, shared));
        for (var k = 1; k < Networks; k++) sum = sum + Reconstruct(k, Head(k, shared));
        return (sum / Networks).MoveToOuterDisposeScope();
    }

    /// <summary>Φ_reliable^(l)(x) of network 0: head_0 of the shared feature after <paramref name="rounds"/> cycle rounds.</summary>
    public Tensor Reliable(Tensor x, int rounds)
    {
        using var scope = torch.NewDisposeScope();
        var shared = Shared(x);
        for (var t = 0; t < rounds; t++) shared = CycleRound(shared);
        return Head(0, shared).MoveToOuterDisposeScope();
    }

    /// <summary>What the mimic phase trains: the trunk and the heads.</summary>
    public IEnumerable<Parameter> MimicParameters() => trunk.parameters().Concat(heads.parameters());

    /// <summary>What the cycle phase trains: the reconstructors g_k.</summary>
    public IEnumerable<Parameter> ReconstructorParameters() => reconstructors.parameters();
}
