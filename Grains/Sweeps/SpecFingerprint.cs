using System.Security.Cryptography;
using System.Text.Json;
using ProbeGrid.GrainsInterfaces.Specs;

namespace ProbeGrid.Grains.Sweeps;

/// <summary>A hash of everything in a spec but its id: the same spec submitted again resumes its sweep.</summary>
public static class SpecFingerprint
{
    public static string Of(SweepSpec spec) =>
        Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(spec with { SweepId = null })));
}
