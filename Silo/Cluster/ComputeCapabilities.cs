using System.Globalization;
using TorchSharp;

namespace ProbeGrid.Silo.Cluster;

/// <summary>
/// What a silo can run, advertised as silo metadata so placement can send GPU units only to
/// silos with a GPU: GPU count and memory, CPU cores, and memory.
/// </summary>
public static class ComputeCapabilities
{
    public const string GpuCount = "probegrid.gpu.count";
    public const string GpuMemoryBytes = "probegrid.gpu.memory_bytes";
    public const string CpuCores = "probegrid.cpu.cores";
    public const string MemoryBytes = "probegrid.memory_bytes";

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
