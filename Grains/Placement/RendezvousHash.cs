using System.IO.Hashing;
using System.Text;

namespace ProbeGrid.Grains.Placement;

/// <summary>
/// Rendezvous (highest random weight) hashing: each key goes to the candidate with the highest
/// hash of (key, candidate). Every node computes the same answer from the same candidates, and
/// when a candidate leaves only its own keys move.
/// </summary>
public static class RendezvousHash
{
    public static T Choose<T>(string key, IReadOnlyCollection<T> candidates, Func<T, string> name)
    {
        if (candidates.Count == 0) throw new ArgumentException("no candidates to choose from", nameof(candidates));
        return candidates.MaxBy(c => Weight(key, name(c)))!;
    }

    public static ulong Weight(string key, string candidate) =>
        XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(key + "\n" + candidate));
}
