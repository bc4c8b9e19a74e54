using System.Runtime.InteropServices;

namespace ProbeGrid.Analysis.Data.ImageFolder;

/// <summary>POSIX realpath: a path with every symbolic link resolved, so an image folder can tell whether a file leads outside its root.</summary>
internal static class RealPath
{
    /// <summary>The resolved absolute path, or null when it does not exist (or a link loops).</summary>
    public static string? Of(string path)
    {
        var resolved = realpath(path, IntPtr.Zero);
        if (resolved == IntPtr.Zero) return null;
        try { return Marshal.PtrToStringUTF8(resolved); }
        finally { free(resolved); }
    }

    /// <summary>Whether <paramref name="path"/> is <paramref name="folder"/> or below it (both real paths; whole segments).</summary>
    public static bool IsUnder(string path, string folder) =>
        path == folder || path.StartsWith(Path.EndsInDirectorySeparator(folder) ? folder : folder + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    [DllImport("libc")]
    private static extern IntPtr realpath([MarshalAs(UnmanagedType.LPUTF8Str)] string path, IntPtr resolved);

    [DllImport("libc")]
    private static extern void free(IntPtr pointer);
}
