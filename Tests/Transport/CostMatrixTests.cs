using ProbeGrid.Analysis.Transport;

namespace ProbeGrid.Tests.Transport;

public class CostMatrixTests
{
    [Fact]
    public void Embeddings_give_euclidean_distances_to_the_power()
    {
        var path = Path.Combine(Path.GetTempPath(), $"embeddings-{Guid.NewGuid():N}.txt");
        File.WriteAllText(path, "# one line per class\n0 0\n3,4\n\n6\t8\n");
        try
        {
            var cost = CostMatrix.FromEmbeddingFile(path, 3);
            Assert.Equal(5, cost[0, 1], 1e-12);
            Assert.Equal(10, cost[0, 2], 1e-12);
            Assert.Equal(0, cost[1, 1]);
            Assert.Equal(25, CostMatrix.FromEmbeddingFile(path, 3, power: 2)[1, 2], 1e-12);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_malformed_file_is_refused_naming_the_file_the_line_and_the_fix()
    {
        var path = Path.Combine(Path.GetTempPath(), $"embeddings-{Guid.NewGuid():N}.txt");
        File.WriteAllText(path, "0 0\n1 x\n1 2 3\n");
        try
        {
            var e = Assert.Throws<ArgumentException>(() => CostMatrix.FromEmbeddingFile(path, 4));
            Assert.Contains(path, e.Message);
            Assert.Contains("line 2: 'x' is not a finite number", e.Message);
            Assert.Contains("line 3 has 3 numbers but the first embedding has 2", e.Message);
            Assert.Contains("it has 3 embeddings but the data set has 4 classes: give one line per class", e.Message);
        }
        finally
        {
            File.Delete(path);
        }
        Assert.Contains("does not exist", Assert.Throws<ArgumentException>(() => CostMatrix.FromEmbeddingFile(path, 4)).Message);
    }
}
