using ProbeGrid.Analysis.Training;

namespace ProbeGrid.Analysis.Complexity;

/// <summary>
/// How the disentanglers of a feature are trained. The paper's orders are l = 1, 4, 7, 13, 25, 49, 97 with
/// width factor r = 1 (128/256/512 channels) on a GPU; the defaults here (l = 1, 4, 7; r = 1/8) fit a CPU.
/// As in the authors' code: Adam, MSE to the frozen feature, the learning rate decaying log-linearly
/// from <see cref="InitialLearningRate"/> to <see cref="FinalLearningRate"/> over the epochs.
/// </summary>
public sealed record DisentanglerOptions : IEpochSchedule
{
    public IReadOnlyList<int> Orders { get; init; } = [1, 4, 7];

    public double Width { get; init; } = 0.125;

    public int Epochs { get; init; } = 30;

    public int BatchSize { get; init; } = 64;

    public double InitialLearningRate { get; init; } = 1e-3;

    public double FinalLearningRate { get; init; } = 1e-5;

    public long Seed { get; init; }

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Orders.Count == 0) problems.Add("orders is empty: give at least one order l = 3m + 1");
        foreach (var order in Orders.Where(o => o < 1 || (o - 1) % 3 != 0))
            problems.Add($"order {order} must be 3m + 1 ReLU layers (1, 4, 7, 13, 25, 49, 97, ...)");
        if (Orders.Zip(Orders.Skip(1)).Any(p => p.Second <= p.First)) problems.Add("orders must increase");
        if (!(Width > 0 && double.IsFinite(Width))) problems.Add($"width {Width} must be a positive number");
        problems.AddRange(IEpochSchedule.Problems(this));
        return problems;
    }

    /// <summary>The learning rate of epoch e (0-based): log-linear from the initial to the final rate.</summary>
    public double LearningRate(int epoch) => LogLinearSchedule.At(InitialLearningRate, FinalLearningRate, epoch, Epochs);
}
