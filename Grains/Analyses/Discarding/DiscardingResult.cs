using ProbeGrid.GrainsInterfaces.InfoDiscarding;

namespace ProbeGrid.Grains.Analyses;

/// <summary>One information-discarding unit's result: every sample's SID (and RU), the RU decoder's fit, and how many shards measured them.</summary>
/// <param name="Decoder">null when the spec turns RU off.</param>
public sealed record DiscardingResult(ImmutableArray<SampleDiscarding> Samples, DecoderFit? Decoder, int Shards);
