namespace ProbeGrid.Analysis.LinearProbes;

/// <summary>Why a probe head stopped iterating. The first two mean it reached its optimum within the tolerances.</summary>
public enum ProbeStopReason
{
    /// <summary>The largest gradient entry fell to the gradient tolerance.</summary>
    GradientTolerance,

    /// <summary>An iteration lowered the objective by no more than the relative objective tolerance.</summary>
    ObjectiveChange,

    /// <summary>No step along the search direction lowered the objective: the limit of the floating-point precision.</summary>
    NoDescent,

    /// <summary>The iteration budget ran out first.</summary>
    IterationLimit,

    /// <summary>
    /// Left before its optimum because it could not be chosen: between it and the best converged head lies a converged head
    /// that validates worse (validation loss taken as unimodal in λ, see <see cref="OptimalProbeOptions.AbandonLosingStrengths"/>).
    /// </summary>
    Abandoned,
}
