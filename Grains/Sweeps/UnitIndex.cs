using ProbeGrid.GrainsInterfaces.Sweeps;

namespace ProbeGrid.Grains.Sweeps;

/// <summary>
/// Numbers a plan's units 0..N-1 in <see cref="SweepPlan.Units"/> order (repeat, checkpoint,
/// analysis, layer; or checkpoint, repeat, analysis, layer when <see cref="SweepPlan.ByCheckpoint"/>),
/// so progress can be kept as one bit per unit.
/// </summary>
public sealed class UnitIndex(SweepPlan plan)
{
    private readonly int checkpoints = plan.Checkpoints.Length;
    private readonly int repeats = plan.Spec.Repeats;
    private readonly int analyses = plan.Spec.Analyses.Length;
    private readonly int layers = plan.Layers.Length;

    public int Count => plan.UnitCount;

    public int Of(int repeat, int checkpoint, int analysis, int layer) =>
        ((plan.ByCheckpoint ? checkpoint * repeats + repeat : repeat * checkpoints + checkpoint) * analyses + analysis) * layers + layer;

    public UnitKey Key(int index)
    {
        var layer = index % layers;
        var rest = index / layers;
        var analysis = rest % analyses;
        rest /= analyses;
        var (checkpoint, repeat) = plan.ByCheckpoint ? (rest / repeats, rest % repeats) : (rest % checkpoints, rest / checkpoints);
        return new UnitKey(plan.Checkpoints[checkpoint].Name, plan.Layers[layer].Name, plan.Spec.Analyses[analysis].Kind, repeat);
    }

    /// <summary>The checkpoint (its index in the plan) unit <paramref name="index"/> belongs to.</summary>
    public int Checkpoint(int index)
    {
        var rest = index / layers / analyses;
        return plan.ByCheckpoint ? rest / repeats : rest % checkpoints;
    }

    /// <summary>The units of one checkpoint in one repeat: what one checkpoint grain serves.</summary>
    public IEnumerable<int> OfCheckpoint(int repeat, int checkpoint) =>
        Enumerable.Range(Of(repeat, checkpoint, 0, 0), analyses * layers);

    public LayerRef Layer(int index) => plan.Layers[index % layers];

    public string Analysis(int index) => plan.Spec.Analyses[index / layers % analyses].Kind;
}
