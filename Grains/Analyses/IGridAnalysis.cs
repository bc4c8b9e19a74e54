using ProbeGrid.GrainsInterfaces.Specs;

namespace ProbeGrid.Grains.Analyses;

/// <summary>
/// One kind of analysis, as the grid sees it: its name in a spec, its plan-time checks, what it needs of the
/// coordinator, and the runner that computes its units inside a checkpoint grain. The planner, the sweep grain
/// and the checkpoint grain only ask these questions; they never switch on a kind's name. Registered with
/// <see cref="AnalysisRegistration.AddAnalysis{T}"/>; an unknown kind is refused at plan time and at the silo.
/// </summary>
public interface IGridAnalysis
{
    /// <summary>The spec's <c>"kind"</c>.</summary>
    string Kind { get; }

    /// <summary>It trains classifiers on the layers' features, so a data set with regression targets is refused.</summary>
    bool NeedsClasses { get; }

    /// <summary>
    /// Why it runs the network from a tapped layer upward (feeding the layers above the tap a feature of its own), or
    /// null when it does not. Such an analysis supports only the taps every path to the logits passes through
    /// (<see cref="Analysis.Zoo.TappedModel.ForwardFromTaps"/>): the planner refuses the others, giving this reason.
    /// </summary>
    string? RunsFromTaps => null;

    /// <summary>Its units' outcomes carry per-pixel maps (<see cref="GrainsInterfaces.Sweeps.UnitOutcome.Maps"/>), read on demand by the sweep.</summary>
    bool HasMaps { get; }

    /// <summary>
    /// Its settings: the parameters read, files they name resolved against the data roots (so every silo opens the file
    /// that was checked), and checked against the model and data as far as the context knows them. Every problem is added
    /// to <paramref name="problems"/>, naming the field (under <paramref name="path"/>) and the fix; null when there is one,
    /// or when a check must wait for a problem reported elsewhere (an invalid data set).
    /// </summary>
    AnalysisSettings? ReadSettings(AnalysisSpec spec, AnalysisPlanContext context, string path, List<string> problems);

    /// <summary>
    /// What <paramref name="spec"/> meant when a plan that kept no settings stored it: the spec with every default that has
    /// changed since written out, so such a plan is read again as it ran (default: the spec unchanged).
    /// </summary>
    AnalysisSpec AsStoredBeforeSettings(AnalysisSpec spec) => spec;

    /// <summary>The figures `probegrid run` draws of its metrics.</summary>
    AnalysisPlots Plots { get; }

    /// <summary>
    /// Why its units need the sweep's whole list of checkpoints (comparing each with the last one), or null when they do
    /// not. Such an analysis cannot follow a training run, whose last checkpoint is not known until the run ends: the
    /// planner refuses it in a following sweep, giving this reason.
    /// </summary>
    string? NeedsEveryCheckpoint => null;

    /// <summary>A checkpoint's units wait until the previous checkpoint of their repeat is finished (a warm start reads its results).</summary>
    bool FollowsPreviousCheckpoint(AnalysisSettings settings);

    /// <summary>A runner for one checkpoint grain's units of this kind, with the settings the plan holds; it may batch the units it is given (one job for all layers).</summary>
    IAnalysisRunner CreateRunner(AnalysisRunContext context, AnalysisSettings settings);
}
