namespace ProbeGrid.Analysis.Activations;

/// <summary>A tapped layer produced NaN or infinite values: the checkpoint has diverged or is corrupt.</summary>
public sealed class NonFiniteActivationException(NonFiniteTap where)
    : Exception($"{where.Describe()}: the checkpoint has diverged or its weights are corrupt; " +
                "leave this checkpoint out of the sweep or retrain with a lower learning rate")
{
    public string Tap => Where.Tap;

    public NonFiniteTap Where { get; } = where;
}
