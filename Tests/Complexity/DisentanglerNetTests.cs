using ProbeGrid.Analysis.Complexity;
using TorchSharp;

namespace ProbeGrid.Tests.Complexity;

public class DisentanglerNetTests
{
    [Theory]
    [InlineData(1, new long[] { 1, 28, 28 }, new long[] { 16, 7, 7 })]
    [InlineData(4, new long[] { 1, 28, 28 }, new long[] { 16, 7, 7 })]
    [InlineData(7, new long[] { 3, 32, 32 }, new long[] { 64, 8, 8 })]
    [InlineData(4, new long[] { 1, 28, 28 }, new long[] { 8, 28, 28 })]
    [InlineData(4, new long[] { 1, 28, 28 }, new long[] { 10, 1, 1 })]
    public void The_output_has_the_features_shape(int order, long[] input, long[] target)
    {
        using var scope = torch.NewDisposeScope();
        using var net = new DisentanglerNet(order, width: 1.0 / 16, input, target, seed: 1);
        net.eval();
        var output = net.forward(torch.randn([2, .. input]));
        Assert.Equal([2, .. target], output.shape);
        Assert.Equal(order, net.Order);
    }

    [Fact]
    public void The_same_seed_builds_the_same_net()
    {
        using var scope = torch.NewDisposeScope();
        using var a = new DisentanglerNet(4, 1.0 / 16, [1, 12, 12], [4, 3, 3], seed: 7);
        using var b = new DisentanglerNet(4, 1.0 / 16, [1, 12, 12], [4, 3, 3], seed: 7);
        a.eval();
        b.eval();
        var x = torch.randn([3, 1, 12, 12]);
        Assert.True(a.forward(x).eq(b.forward(x)).all().item<bool>());
    }

    [Fact]
    public void Orders_that_are_not_3m_plus_1_and_bad_shapes_are_refused_all_at_once()
    {
        var e = Assert.Throws<ArgumentException>(() => new DisentanglerNet(5, 0, [1, 8, 8], [4, 16, 16], seed: 1));
        Assert.Contains("order 5 must be 3m + 1 ReLU layers", e.Message);
        Assert.Contains("width factor 0 must be a positive number", e.Message);
        Assert.Contains("the feature's map 16x16 is larger than the input's 8x8", e.Message);
        Assert.Contains("must be [C, H, W]: disentangle a convolutional layer's map",
            Assert.Throws<ArgumentException>(() => new DisentanglerNet(1, 1, [1, 8, 8], [128], seed: 1)).Message);
    }
}
