using ProbeGrid.GrainsInterfaces.Grains;
using ProbeGrid.GrainsInterfaces.Sweeps;

namespace ProbeGrid.Grains.Sweeps;

/// <summary>Reads units' stored outcomes, a bounded number of calls at a time: results live with their units, not in the sweep.</summary>
internal static class StoredOutcomes
{
    /// <returns>each unit that has an outcome stored, with it, in the order asked.</returns>
    public static async Task<List<(int Unit, UnitOutcome Outcome)>> Read(IGrainFactory grains, string sweepId, UnitIndex index, IEnumerable<int> units, int callsAtOnce)
    {
        var read = new List<(int, UnitOutcome)>();
        foreach (var chunk in units.Chunk(callsAtOnce))
        {
            var outcomes = await Task.WhenAll(chunk.Select(i => grains.GetGrain<ILayerAnalysisGrain>(GrainKeys.Unit(sweepId, index.Key(i))).GetOutcome()));
            read.AddRange(chunk.Zip(outcomes).Where(o => o.Second is not null).Select(o => (o.First, o.Second!)));
        }
        return read;
    }
}
