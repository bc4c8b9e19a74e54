using System.Diagnostics;

namespace ProbeGrid.Bench;

/// <summary>
/// Process memory as a benchmark sees it: the managed heap (<see cref="GC.GetTotalMemory"/>) and
/// the peak working set (<see cref="Process.PeakWorkingSet64"/>, Linux's VmHWM, which counts
/// native libtorch memory too). On Linux the peak can be reset between benchmarks by writing 5
/// to /proc/self/clear_refs; where that fails the peak is the process's peak so far.
/// </summary>
public static class MemoryProbe
{
    private const double Mebibyte = 1024.0 * 1024.0;

    /// <summary>Resets the peak working set to the current one; false where the OS does not allow it.</summary>
    public static bool ResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return false;
        }
    }

    public static double PeakWorkingSetMiB()
    {
        using var process = Process.GetCurrentProcess();
        return process.PeakWorkingSet64 / Mebibyte;
    }

    public static double WorkingSetMiB()
    {
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64 / Mebibyte;
    }

    /// <summary>Bytes on the managed heap now, without forcing a collection.</summary>
    public static double ManagedHeapMiB() => GC.GetTotalMemory(forceFullCollection: false) / Mebibyte;

    /// <summary>Bytes this thread has allocated on the managed heap so far (monotonic).</summary>
    public static long AllocatedBytes() => GC.GetAllocatedBytesForCurrentThread();

    public static double ToMiB(long bytes) => bytes / Mebibyte;
}
