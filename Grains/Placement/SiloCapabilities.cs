using System.Globalization;

namespace ProbeGrid.Grains.Placement;

/// <summary>
/// The silo-metadata keys a ProbeGrid silo advertises its compute under, and what placement asks
/// of a silo: a unit of a spec with resources.device = "cuda" runs only where the GPU count is above 0.
/// </summary>
public static class SiloCapabilities
{
    public const string GpuCount = "probegrid.gpu.count";
    public const string GpuMemoryBytes = "probegrid.gpu.memory_bytes";
    public const string CpuCores = "probegrid.cpu.cores";
    public const string MemoryBytes = "probegrid.memory_bytes";

    /// <summary>The request-context key that carries a unit's requirement to placement.</summary>
    public const string RequirementKey = "probegrid.requires";

    public const string RequiresGpu = "gpu";

    /// <summary>The requirement of a spec's device: "cuda" needs a GPU; "auto" and "cpu" run anywhere.</summary>
    public static string? RequirementOf(string device) => device == "cuda" ? RequiresGpu : null;

    public static bool Satisfies(IReadOnlyDictionary<string, string>? metadata, string? requirement) =>
        requirement != RequiresGpu
        || (metadata is not null && metadata.TryGetValue(GpuCount, out var gpus)
            && int.TryParse(gpus, NumberStyles.Integer, CultureInfo.InvariantCulture, out var count) && count > 0);
}
