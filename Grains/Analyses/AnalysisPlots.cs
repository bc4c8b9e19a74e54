namespace ProbeGrid.Grains.Analyses;

/// <summary>
/// The figures `probegrid run` draws for an analysis when a sweep finishes.
/// </summary>
/// <param name="Curves">metrics drawn vs layer, vs checkpoint, and as a checkpoint x layer heatmap.</param>
/// <param name="Spectra">per-order metrics (<c>&lt;name&gt;.l&lt;order&gt;</c>) drawn against the order.</param>
public sealed record AnalysisPlots(IReadOnlyList<string> Curves, IReadOnlyList<string> Spectra)
{
    /// <summary>Prefixes of metric families named by a second layer (<c>&lt;prefix&gt;&lt;layer&gt;</c>), drawn as a layer x layer heatmap per checkpoint.</summary>
    public IReadOnlyList<string> LayerMatrices { get; init; } = [];

    public static AnalysisPlots CurvesOf(params string[] metrics) => new(metrics, []);
}
