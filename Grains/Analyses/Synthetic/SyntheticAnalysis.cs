using System.Globalization;
using ProbeGrid.GrainsInterfaces.Results;
using ProbeGrid.GrainsInterfaces.Specs;
using ProbeGrid.GrainsInterfaces.Sweeps;

namespace ProbeGrid.Grains.Analyses;

/// <summary>
/// The "synthetic" analysis: each unit holds an executor slot for a fixed time and computes
/// nothing. It measures the grid itself (makespan, coordinator overhead per unit) and smoke-tests
/// a cluster without data; bench/ uses it at the probe paper's 10,000-unit scale.
/// </summary>
public sealed class SyntheticAnalysis : IGridAnalysis
{
    public const string Kind = "synthetic";
    public const string DurationParameter = "durationMs";

    string IGridAnalysis.Kind => Kind;

    bool IGridAnalysis.NeedsClasses => false;

    bool IGridAnalysis.HasMaps => false;

    AnalysisPlots IGridAnalysis.Plots { get; } = new([], []);

    AnalysisSettings? IGridAnalysis.ReadSettings(AnalysisSpec spec, AnalysisPlanContext context, string path, List<string> problems)
    {
        var found = spec.Parameters.Keys.Where(k => k != DurationParameter)
            .Select(k => $"{path}.parameters.{k} is not a synthetic parameter: use {DurationParameter}").ToList();
        var duration = 100;
        if (spec.Parameters.TryGetValue(DurationParameter, out var text)
            && !(int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out duration) && duration is >= 0 and <= 3_600_000))
            found.Add($"{path}.parameters.{DurationParameter} '{text}' must be a whole number of milliseconds from 0 to 3600000");
        problems.AddRange(found);
        return found.Count == 0 ? new SyntheticSettings(duration) : null;
    }

    bool IGridAnalysis.FollowsPreviousCheckpoint(AnalysisSettings settings) => false;

    IAnalysisRunner IGridAnalysis.CreateRunner(AnalysisRunContext context, AnalysisSettings settings) => new SyntheticRunner(context, (SyntheticSettings)settings);

    public static ImmutableArray<MetricValue> Metrics(double durationMs, CheckpointRef checkpoint, LayerRef layer, int repeat) =>
        [new MetricValue(checkpoint.Name, checkpoint.Step, layer.Name, layer.Index, repeat, MetricNames.SyntheticDurationMs, durationMs)];
}
