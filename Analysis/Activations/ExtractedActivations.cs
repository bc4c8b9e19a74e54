namespace ProbeGrid.Analysis.Activations;

/// <summary>
/// What one pass of data through a network gave, tap by tap: the features of every tap whose values are all
/// finite, and for each other tap where its first NaN or infinity appeared. One bad tap leaves the others usable.
/// </summary>
public sealed record ExtractedActivations(IReadOnlyDictionary<string, FeatureMatrix> Features, IReadOnlyDictionary<string, NonFiniteTap> NonFinite)
{
    public static ExtractedActivations AllFinite(IReadOnlyDictionary<string, FeatureMatrix> features) =>
        new(features, new Dictionary<string, NonFiniteTap>(StringComparer.Ordinal));

    /// <summary>The features, for callers that need every tap they asked for.</summary>
    /// <exception cref="NonFiniteActivationException">naming the first non-finite tap (in tap-name order, so the message is stable).</exception>
    public IReadOnlyDictionary<string, FeatureMatrix> RequireFinite()
    {
        if (NonFinite.Count > 0) throw new NonFiniteActivationException(NonFinite.OrderBy(t => t.Key, StringComparer.Ordinal).First().Value);
        return Features;
    }
}
