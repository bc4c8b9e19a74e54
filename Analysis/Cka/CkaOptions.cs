namespace ProbeGrid.Analysis.Cka;

/// <summary>How <see cref="LinearCka"/> estimates CKA over a probe set of n samples.</summary>
public sealed record CkaOptions
{
    /// <summary>Smallest minibatch allowed: near-equal batches of at least 8 rows never fall below the debiased estimator's 4.</summary>
    public const int SmallestMinibatch = 8;

    public HsicEstimator Estimator { get; init; } = HsicEstimator.Biased;

    /// <summary>
    /// 0: all samples in one batch. Otherwise the samples are cut into near-equal consecutive batches of at most
    /// this many rows and CKA is mean HSIC_1(K, L) / √(mean HSIC_1(K, K) · mean HSIC_1(L, L)) over them
    /// (Nguyen et al. 2021), so device memory grows with the batch, not with n.
    /// </summary>
    public int MinibatchSize { get; init; }

    /// <summary>Every problem with these options, each naming the field and the fix; empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (!Enum.IsDefined(Estimator))
            problems.Add($"estimator {(int)Estimator} is not one of {string.Join(", ", Enum.GetNames<HsicEstimator>())}");
        if (MinibatchSize != 0 && MinibatchSize < SmallestMinibatch)
            problems.Add($"minibatchSize {MinibatchSize} must be 0 (all samples in one batch) or at least {SmallestMinibatch}");
        if (MinibatchSize != 0 && Estimator == HsicEstimator.Biased)
            problems.Add("minibatchSize needs estimator Debiased: the biased HSIC's bias depends on the batch size, so its mean over minibatches does not estimate CKA; use Debiased or minibatchSize 0");
        return problems;
    }
}
