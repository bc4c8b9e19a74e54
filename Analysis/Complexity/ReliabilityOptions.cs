using ProbeGrid.Analysis.Training;

namespace ProbeGrid.Analysis.Complexity;

/// <summary>
/// How the reliable components are extracted, in the two phases of the authors' code
/// (disentangle_reliability.py), per order l:
/// <list type="number">
/// <item>Mimic: the shared trunk and its K heads learn the K features (sum of the K MSEs) with
/// <see cref="Disentangler"/>'s orders, width, epochs, batch size and log-linear learning rate. Pass the
/// same <see cref="DisentanglerOptions"/> to <see cref="DisentanglerTrainer"/> for Φ^(l), so that
/// ρ_reliable compares nets trained alike. Authors: 500 epochs of 2000 samples, batch 64, 1e-3 → 1e-5.</item>
/// <item>Cycle: with the trunk and heads frozen, the reconstructors g_k learn, for each round count
/// t = 1..T in turn every epoch, to give back z_{t−1} from head_k(z_{t−1}), where z_0 is the shared feature
/// and z_t = (1/K) Σ_k g_k(head_k(z_{t−1})). Authors: 100 epochs, 1e-3 → 1e-4, T = 5 in the paper
/// (their script defaults to 10). Defaults here: 10 epochs, the same rates, T = 5.</item>
/// </list>
/// Φ_reliable^(l) is then head_0(z_T), as in the authors' evaluation (eval_reliability.py). Both phases draw
/// from <see cref="DisentanglerOptions.Seed"/>.
/// Departures from the authors' code, and why: each order's net starts from its own seeded initialisation
/// rather than from the previous order's trunk and g_k, as <see cref="DisentanglerTrainer"/>'s Φ^(l) do, so the
/// ratio compares nets trained alike; each pass is a shuffle of the training set rather than 2000 draws with
/// replacement; the trunk is <see cref="DisentanglerTrunk"/> (128r/256r/512r channels) rather than one ending
/// at the feature's channels, so heads and g_k map between the trunk's and each feature's channels, which
/// lets the K features differ in channels (the authors' are all 64 or all 512).
/// </summary>
public sealed record ReliabilityOptions
{
    /// <summary>The trunk, its heads and the mimic phase's schedule.</summary>
    public DisentanglerOptions Disentangler { get; init; } = new();

    /// <summary>Epochs of the cycle phase (authors: 100).</summary>
    public int CycleEpochs { get; init; } = 10;

    /// <summary>T, the cycle rounds trained and applied (paper: 5).</summary>
    public int CycleRounds { get; init; } = 5;

    public double CycleInitialLearningRate { get; init; } = 1e-3;

    public double CycleFinalLearningRate { get; init; } = 1e-4;

    public IReadOnlyList<string> Validate()
    {
        var problems = Disentangler.Validate().ToList();
        if (CycleEpochs < 1) problems.Add($"cycleEpochs {CycleEpochs} must be at least 1");
        if (CycleRounds < 1) problems.Add($"cycleRounds {CycleRounds} must be at least 1 (the paper uses T = 5)");
        if (!(CycleInitialLearningRate > 0 && CycleFinalLearningRate > 0 && double.IsFinite(CycleInitialLearningRate) && double.IsFinite(CycleFinalLearningRate)))
            problems.Add("cycle learning rates must be positive numbers");
        return problems;
    }

    /// <summary>The cycle phase's learning rate in epoch e (0-based): log-linear from the initial to the final rate.</summary>
    public double CycleLearningRate(int epoch) => LogLinearSchedule.At(CycleInitialLearningRate, CycleFinalLearningRate, epoch, CycleEpochs);
}
