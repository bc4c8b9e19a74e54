using ProbeGrid.Analysis.Complexity;
using TorchSharp;

namespace ProbeGrid.Tests.Complexity;

public class ReliabilityNetTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void Each_head_is_exactly_a_bias_free_1x1_conv_of_the_shared_feature(int order)
    {
        using var scope = torch.NewDisposeScope();
        long[][] shapes = [[4, 4, 4], [6, 4, 4], [5, 4, 4]];
        using var net = new ReliabilityNet(order, width: 1.0 / 16, [1, 8, 8], shapes, seed: 3);
        net.eval();
        var x = torch.randn([2, 1, 8, 8]);
        var shared = net.Shared(x);

        Assert.Equal(3, net.Networks);
        Assert.Equal([2, net.SharedChannels, 4, 4], shared.shape);
        for (var k = 0; k < 3; k++)
        {
            var head = net.Head(k, shared);
            Assert.Equal([2, shapes[k][0], 4, 4], head.shape);
            Assert.Equal([shapes[k][0], net.SharedChannels, 1, 1], net.HeadWeight(k).shape);
            // The same linear map written out: y[b, c, i, j] = Σ_d W[c, d] z[b, d, i, j].
            var byHand = torch.einsum("cd,bdij->bcij", net.HeadWeight(k).squeeze(-1).squeeze(-1), shared);
            Assert.True(head.allclose(byHand, rtol: 1e-5, atol: 1e-5), $"head {k} is not W_k z");
            Assert.Equal(shared.shape, net.Reconstruct(k, head).shape);
        }
        // With no cycle rounds the reliable output is head 0 itself; one round averages the K reconstructions.
        Assert.True(net.Reliable(x, 0).eq(net.Head(0, shared)).all().item<bool>());
        var round = (net.Reconstruct(0, net.Head(0, shared)) + net.Reconstruct(1, net.Head(1, shared)) + net.Reconstruct(2, net.Head(2, shared))) / 3;
        Assert.True(net.CycleRound(shared).allclose(round, rtol: 1e-5, atol: 1e-6));
        Assert.True(net.Reliable(x, 1).allclose(net.Head(0, round), rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void One_peer_at_least_and_one_map_size_are_required_and_all_problems_are_listed()
    {
        var e = Assert.Throws<ArgumentException>(() => new ReliabilityNet(2, 1, [1, 8, 8], [[4, 4, 4], [4, 2, 2], [3, 16, 16]], seed: 1));
        Assert.Contains("order 2 must be 3m + 1", e.Message);
        Assert.Contains("feature 1's map 2x2 differs from feature 0's 4x4: tap the same layer in every network, or pool the features to one map size", e.Message);
        Assert.Contains("the feature's map 16x16 is larger than the input's 8x8", e.Message);
        Assert.Contains("give the analysed network's feature and at least one peer's",
            Assert.Throws<ArgumentException>(() => new ReliabilityNet(1, 1, [1, 8, 8], [[4, 4, 4]], seed: 1)).Message);
    }
}
