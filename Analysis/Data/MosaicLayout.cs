namespace ProbeGrid.Analysis.Data;

/// <summary>
/// How a Fashion-MNIST mosaic is laid out: a canvas of <see cref="Grid"/> x <see cref="Grid"/>
/// cells of <see cref="ItemSize"/> pixels, between <see cref="MinItems"/> and
/// <see cref="MaxItems"/> of them holding an item.
/// </summary>
public sealed record MosaicLayout(int Grid, int ItemSize, int MinItems, int MaxItems)
{
    public const int DefaultGrid = 2;
    public const int MaxGrid = 8;

    /// <summary>Items as Fashion-MNIST has them (28 pixels a side).</summary>
    public const int FullItemSize = FashionMnist.ImageSide;

    /// <summary>Items average-pooled 2x2 (14 pixels a side): a 2x2 mosaic is then 28x28, a quarter of the compute.</summary>
    public const int HalfItemSize = FashionMnist.ImageSide / 2;

    public static IReadOnlyList<int> ItemSizes { get; } = [FullItemSize, HalfItemSize];

    public int CellCount => Grid * Grid;

    public int CanvasSide => Grid * ItemSize;

    /// <summary>One channel, like Fashion-MNIST: [1, side, side].</summary>
    public long[] SampleShape => [1, CanvasSide, CanvasSide];

    /// <summary>Every problem with the layout, each naming the parameter and what is allowed.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (Grid < 1 || Grid > MaxGrid)
        {
            problems.Add($"grid must be in [1, {MaxGrid}] (got {Grid})");
            return problems; // the item counts are checked against grid², meaningless here
        }
        if (!ItemSizes.Contains(ItemSize))
            problems.Add($"itemSize must be {FullItemSize} (items as they are) or {HalfItemSize} (items average-pooled 2x2) (got {ItemSize})");
        if (MinItems < 1 || MinItems > CellCount)
            problems.Add($"minItems must be in [1, {CellCount}] for a {Grid}x{Grid} grid (got {MinItems}): every mosaic needs at least one item");
        if (MaxItems < 1 || MaxItems > CellCount)
            problems.Add($"maxItems must be in [1, {CellCount}] for a {Grid}x{Grid} grid (got {MaxItems})");
        else if (MaxItems < MinItems)
            problems.Add($"maxItems ({MaxItems}) must be at least minItems ({MinItems})");
        return problems;
    }
}
