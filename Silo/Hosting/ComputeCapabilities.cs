using System.Globalization;
using ProbeGrid.Grains.Placement;
using TorchSharp;
using static ProbeGrid.Grains.Placement.SiloCapabilities;

namespace ProbeGrid.Silo.Hosting;

/// <summary>
/// What a silo can run, advertised as silo metadata so placement can send GPU units only to
/// silos with a GPU: GPU count and memory, CPU cores, and memory.
/// </summary>
public static class ComputeCapabilities
{
    /// <summary>This machine's compute. GPU memory is not exposed by TorchSharp-cpu; set it with ProbeGrid:Compute:GpuMemoryBytes.</summary>
    public static Dictionary<string, string> Detect(long gpuMemoryBytes = 0)
    {
        var gpus = torch.cuda.is_available() ? torch.cuda.device_count() : 0;
        return new Dictionary<string, string>
        {
            [GpuCount] = gpus.ToString(CultureInfo.InvariantCulture),
            [GpuMemoryBytes] = (gpus > 0 ? gpuMemoryBytes : 0).ToString(CultureInfo.InvariantCulture),
            [CpuCores] = Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture),
            [MemoryBytes] = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes.ToString(CultureInfo.InvariantCulture),
        };
    }
}
