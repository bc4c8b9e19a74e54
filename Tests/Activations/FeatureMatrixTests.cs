using ProbeGrid.Analysis.Activations;

namespace ProbeGrid.Tests.Activations;

public class FeatureMatrixTests
{
    [Fact]
    public void Rows_are_consecutive_slices_of_the_row_major_data()
    {
        var matrix = new FeatureMatrix([1, 2, 3, 4, 5, 6], rows: 3, columns: 2);

        Assert.Equal([1f, 2f], matrix.Row(0).ToArray());
        Assert.Equal([5f, 6f], matrix.Row(2).ToArray());
    }

    [Theory]
    [InlineData(2, 2)]
    [InlineData(3, 3)]
    [InlineData(-1, -6)]
    public void A_data_length_that_does_not_match_the_shape_is_rejected_with_both_sizes(int rows, int columns)
    {
        var e = Assert.Throws<ArgumentException>(() => new FeatureMatrix(new float[6], rows, columns));

        Assert.Contains($"{rows} x {columns}", e.Message);
        Assert.Contains("not 6", e.Message);
    }

    [Fact]
    public void An_empty_matrix_is_allowed()
    {
        var matrix = new FeatureMatrix([], rows: 0, columns: 5);

        Assert.Equal((0, 5), (matrix.Rows, matrix.Columns));
    }
}
