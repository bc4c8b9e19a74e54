using ProbeGrid.Analysis.Training;

namespace ProbeGrid.Analysis.InfoDiscarding;

/// <summary>
/// The RU decoder and its training. The paper uses six residual blocks, the first 2–4 of them
/// upsampling (as many as the feature map is smaller than the input); its width is not given, 64 here.
/// Adam on the MSE, the learning rate decaying log-linearly over the epochs.
/// </summary>
public sealed record DecoderOptions : IEpochSchedule
{
    /// <summary>Residual blocks in all; the first ⌈log2(input size / feature size)⌉ of them double the map.</summary>
    public int Blocks { get; init; } = 6;

    /// <summary>Channels inside the decoder.</summary>
    public int Width { get; init; } = 64;

    public int Epochs { get; init; } = 20;

    public int BatchSize { get; init; } = 64;

    public double InitialLearningRate { get; init; } = 1e-3;

    public double FinalLearningRate { get; init; } = 1e-4;

    public long Seed { get; init; }

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Blocks < 1) problems.Add($"blocks {Blocks} must be at least 1 (the paper's 6)");
        if (Width < 1) problems.Add($"width {Width} must be at least 1");
        problems.AddRange(IEpochSchedule.Problems(this));
        return problems;
    }

    /// <summary>The learning rate of epoch e (0-based): log-linear from the initial to the final rate.</summary>
    public double LearningRate(int epoch) => LogLinearSchedule.At(InitialLearningRate, FinalLearningRate, epoch, Epochs);
}
