using ProbeGrid.Analysis.LinearProbes;

namespace ProbeGrid.Tests.LinearProbes;

/// <summary>The probes' working memory, the formula the executor's estimate rests on, against sums worked out by hand here.</summary>
public sealed class ProbeWorkingMemoryTests
{
    private static readonly OptimalProbeOptions TwoHeads = new() { L2Grid = [1e-3, 1e-1], HistorySize = 4 };

    [Fact]
    public void The_solver_holds_three_standardised_splits_and_then_the_larger_of_standardising_and_its_iterations()
    {
        // n = 100/20/30, d = 7, C = 3, K = 2, H = 4, float64:
        // splits 150·(8·(7+1) + (4+8)·3) = 15,000; standardising the largest 100·(4·7 + 8·7 + 8·8) = 14,800;
        // iterations: θ = 8·2·3·8 = 384 bytes, 384·(6·4 + 30) = 20,736, plus logits 4·100·2·3·8 = 19,200: 39,936 > 14,800;
        // with them the preconditioner's basis, 8·7·7 = 392 (its decomposition, 3·8·49 = 1,176, is over before they start).
        Assert.Equal(15_000 + 392 + 39_936, ProbeWorkingMemory.Optimal(100, 20, 30, 7, 3, TwoHeads));
        Assert.Equal(15_000 + 39_936, ProbeWorkingMemory.Optimal(100, 20, 30, 7, 3, TwoHeads with { Preconditioned = false }));
        // float32: splits 150·(4·8 + 8·3) = 8,400; basis 4·49 = 196; θ = 192 bytes, 192·54 = 10,368; logits are counted as float64 (19,200).
        Assert.Equal(8_400 + 196 + 10_368 + 19_200, ProbeWorkingMemory.Optimal(100, 20, 30, 7, 3, TwoHeads with { DoublePrecision = false }));
    }

    [Fact]
    public void Standardising_a_wide_layer_outweighs_the_iterations_of_a_small_grid()
    {
        // n = 1000/10/10, d = 500, C = 2, K = 1, H = 1: splits 1,020·(8·501 + 12·2) = 4,112,640;
        // standardising 1,000·(2,000 + 4,000 + 4,008) = 10,008,000; iterations 501·2·8·36 + 4·1,000·2·8 = 352,576, after the
        // preconditioner's basis (8·500² = 2,000,000) and decomposition (3·8·500² = 6,000,000): 8,000,000 in all.
        var options = new OptimalProbeOptions { L2Grid = [1.0], HistorySize = 1 };
        Assert.Equal(4_112_640 + 10_008_000, ProbeWorkingMemory.Optimal(1000, 10, 10, 500, 2, options));
    }

    [Fact]
    public void Trained_probes_hold_their_features_as_tensors_with_small_weights_and_a_batch()
    {
        var rmsprop = new ProbeOptions { BatchSize = 16 };
        // features 4·150·7 = 4,200; weights 4·8·3·6 = 576; batch 4·16·(7 + 12) = 1,216; evaluation 16·150·3 = 7,200.
        Assert.Equal(4_200 + 576 + 1_216 + 7_200, ProbeWorkingMemory.Trained(100, 20, 30, 7, 3, rmsprop));
        // lbfgs: a full batch of 100 rows (4·100·19 = 7,600) and its history: 4·8·3·(6·10 + 30) = 8,640.
        Assert.Equal(4_200 + 8_640 + 7_600 + 7_200, ProbeWorkingMemory.Trained(100, 20, 30, 7, 3, rmsprop with { Optimizer = ProbeOptions.Lbfgs }));
    }

    [Fact]
    public void The_solver_estimate_grows_with_the_grid_and_the_history_it_keeps()
    {
        // n = 500/100/100, d = 512, C = 10: the iterations (at least 18 MB) outweigh standardising (500·10,248 = 5.1 MB).
        var five = ProbeWorkingMemory.Optimal(500, 100, 100, 512, 10, new OptimalProbeOptions { L2Grid = [1e-2, 1e-1, 1, 10, 100] });
        var nine = ProbeWorkingMemory.Optimal(500, 100, 100, 512, 10, new OptimalProbeOptions());
        var history = ProbeWorkingMemory.Optimal(500, 100, 100, 512, 10, new OptimalProbeOptions { HistorySize = 20 });
        // Four more heads: 4 more θ of 513·10·8 bytes, 90 copies each, and four more heads of logits (4·500·10·8 each).
        Assert.Equal(4L * 513 * 10 * 8 * 90 + 4L * 4 * 500 * 10 * 8, nine - five);
        // Ten more pairs: 60 more θ of nine heads.
        Assert.Equal(60L * 513 * 9 * 10 * 8, history - nine);
    }
}
