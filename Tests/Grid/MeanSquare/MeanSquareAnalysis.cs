using ProbeGrid.Grains.Analyses;
using ProbeGrid.GrainsInterfaces.Specs;

namespace ProbeGrid.Tests.Grid.MeanSquare;

/// <summary>
/// An analysis of the tests' own, written as a user would, outside the grid's code: each unit's metric is the mean
/// square of its layer's activations over the first <c>samples</c> test inputs. Registered with <c>AddAnalysis&lt;T&gt;</c>.
/// </summary>
public sealed class MeanSquareAnalysis : IGridAnalysis
{
    public const string Kind = "mean-square";
    public const string Metric = "mean_square";

    string IGridAnalysis.Kind => Kind;

    bool IGridAnalysis.NeedsClasses => false;

    bool IGridAnalysis.HasMaps => false;

    AnalysisPlots IGridAnalysis.Plots { get; } = AnalysisPlots.CurvesOf(Metric);

    AnalysisSettings? IGridAnalysis.ReadSettings(AnalysisSpec spec, AnalysisPlanContext context, string path, List<string> problems)
    {
        var samples = spec.Parameters.TryGetValue("samples", out var text) && int.TryParse(text, out var n) ? n : -1;
        if (samples < 1)
        {
            problems.Add($"{path}.parameters.samples must be a whole number of at least 1");
            return null;
        }
        return new MeanSquareSettings(samples, spec.Parameters.GetValueOrDefault("loseShardSilos") == "true");
    }

    bool IGridAnalysis.FollowsPreviousCheckpoint(AnalysisSettings settings) => false;

    IAnalysisRunner IGridAnalysis.CreateRunner(AnalysisRunContext context, AnalysisSettings settings) => new MeanSquareRunner(context, (MeanSquareSettings)settings);
}
