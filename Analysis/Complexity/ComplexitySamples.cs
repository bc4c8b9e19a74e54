using ProbeGrid.Analysis.Data;

namespace ProbeGrid.Analysis.Complexity;

/// <summary>
/// The samples of one complexity unit: those the disentanglers learn from (<see cref="Fit"/>), and those the
/// games are played on (the first training samples and as many test samples).
/// </summary>
public sealed record ComplexitySamples(LabeledData Fit, LabeledData GameTrain, LabeledData GameTest)
{
    /// <summary>The shape of one input sample (the same in every set).</summary>
    public long[] SampleShape => GameTrain.SampleShape;

    /// <summary>At most <paramref name="fitSamples"/> fit samples (see <see cref="FitSet"/>), and at most <paramref name="gameSamples"/> of each game set.</summary>
    public static ComplexitySamples From(DatasetSplits data, int fitSamples, int gameSamples) => new(
        FitSet(data, fitSamples),
        data.Train.Slice(0, Math.Min(gameSamples, data.Train.Count)),
        data.Test.Slice(0, Math.Min(gameSamples, data.Test.Count)));

    /// <summary>
    /// Validation samples, topped up with training samples when the validation split is smaller. Held-out inputs
    /// first, so the components are out of sample on the game's training samples as on its test samples, and the
    /// over-fitting game does not see the disentanglers' own fit.
    /// </summary>
    private static LabeledData FitSet(DatasetSplits data, int count)
    {
        var validation = data.Validation.Slice(0, Math.Min(count, data.Validation.Count));
        var rest = Math.Min(count - validation.Count, data.Train.Count);
        return rest > 0 ? validation.Concat(data.Train.Slice(0, rest)) : validation;
    }
}
