using System.Diagnostics;
using System.Runtime;
using System.Runtime.InteropServices;

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

    /// <summary>
    /// Returns memory freed earlier to the OS, so a following peak counts what a job allocates rather than what it reuses: a compacting,
    /// decommitting collection of the managed heap and glibc's malloc_trim for native (libtorch) memory, where there is glibc.
    /// </summary>
    public static void ReleaseFreeMemory()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        try
        {
            MallocTrim(0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // not glibc: native memory stays as the allocator keeps it
        }
    }

    [DllImport("libc.so.6", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);

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
