namespace ProbeGrid.Analysis.Cka;

/// <summary>
/// Which estimate of HSIC (the Hilbert-Schmidt independence criterion) linear CKA is built from.
/// Both are computed from the centred features, in feature space when a layer has fewer features than samples.
/// </summary>
public enum HsicEstimator
{
    /// <summary>
    /// HSIC_0 = tr(K H L H) / (n − 1)², Kornblith et al. 2019 eq. 3: their headline numbers. Its bias grows as
    /// about p / n (independent features score ≈ √(p₁p₂)/n, not 0), so it needs one batch holding every sample.
    /// </summary>
    Biased,

    /// <summary>
    /// HSIC_1, the unbiased U-statistic of Song et al. 2012 (eq. 5), as the CKA paper uses for minibatches:
    /// independent features score ≈ 0 and a mean over minibatches estimates the same quantity as one large batch.
    /// Needs at least 4 samples per batch; its self-terms can come out ≤ 0 on tiny batches (CKA is then NaN).
    /// </summary>
    Debiased,
}
