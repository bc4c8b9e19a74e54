namespace ProbeGrid.Analysis.Cka;

/// <summary>
/// Consecutive batches of near-equal size (differing by at most one row) covering n samples, none larger than the
/// limit: equal batches weigh alike in the mean of HSIC values, and no short last batch falls below the
/// debiased estimator's four samples.
/// </summary>
internal static class RowBatches
{
    /// <param name="samples">n, the rows to cover.</param>
    /// <param name="limit">Most rows a batch may hold; 0 means one batch of all n.</param>
    public static IEnumerable<(int Start, int Rows)> Split(int samples, int limit)
    {
        var count = limit <= 0 || limit >= samples ? 1 : (samples + limit - 1) / limit;
        var start = 0;
        for (var b = 0; b < count; b++)
        {
            var rows = samples / count + (b < samples % count ? 1 : 0);
            yield return (start, rows);
            start += rows;
        }
    }
}
