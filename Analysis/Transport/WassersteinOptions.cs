namespace ProbeGrid.Analysis.Transport;

/// <summary>The parameters of the Wasserstein layer analysis, with the paper's defaults.</summary>
public sealed record WassersteinOptions
{
    public SinkhornOptions Sinkhorn { get; init; } = new();

    /// <summary>The ground cost between labels; null means 0/1.</summary>
    public CostMatrix? Cost { get; init; }

    /// <summary>θ: a sample's W-distance at or below it counts as small (see <see cref="SampleKinds"/>).</summary>
    public double KindThreshold { get; init; } = 0.5;

    /// <summary>Step of the early-exit grid over s2 and ρ in [0.5, 1].</summary>
    public double GridStep { get; init; } = 0.05;

    public IReadOnlyList<string> Validate()
    {
        var problems = Sinkhorn.Validate().ToList();
        if (!(KindThreshold >= 0 && double.IsFinite(KindThreshold))) problems.Add($"kindThreshold {KindThreshold} must be zero or positive");
        if (!(GridStep > 0 && GridStep <= 0.5)) problems.Add($"gridStep {GridStep} must be in (0, 0.5]");
        return problems;
    }
}
