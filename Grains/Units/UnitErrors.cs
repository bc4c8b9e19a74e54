using ProbeGrid.Analysis.Activations;
using ProbeGrid.Analysis.Checkpoints;
using ProbeGrid.Analysis.Data;
using ProbeGrid.Grains.Compute;

namespace ProbeGrid.Grains.Units;

/// <summary>Turns a unit's exception into the one-line cause a researcher reads in `probegrid failures`.</summary>
public static class UnitErrors
{
    public static string Describe(Exception e) => e switch
    {
        CheckpointException or NonFiniteActivationException or ComputeBudgetException or IdxFormatException => e.Message,
        OutOfMemoryException => "the unit ran out of memory: lower reduction.maxDims, the dataset sizes or resources.batchSize, or raise the silo's memory budget",
        ArgumentException or InvalidDataException or IOException => $"{e.GetType().Name}: {e.Message}",
        OperationCanceledException => "cancelled",
        _ => $"{e.GetType().Name}: {e.Message}",
    };
}
