using System.Runtime.InteropServices;

namespace ProbeGrid.Analysis.Checkpoints;

/// <summary>
/// Writes a file so that readers (and a process restarted after a kill) see either the old
/// content or the complete new content, never a half-written file: write a temporary sibling,
/// flush it to disk, rename it over the target, then flush the folder, so the rename itself
/// survives a power cut before anything that depends on the file (an index entry) is written.
/// </summary>
internal static class AtomicFile
{
    public static void Write(string path, Action<FileStream> write)
    {
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
            SyncFolder(Path.GetDirectoryName(Path.GetFullPath(path))!);
        }
        finally
        {
            if (File.Exists(temporary))
                File.Delete(temporary);
        }
    }

    public static void WriteAllText(string path, string text) =>
        Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, leaveOpen: true);
            writer.Write(text);
        });

    /// <summary>fsync on the folder, which makes a rename in it durable (POSIX); .NET opens no folders, so through libc. Elsewhere a no-op.</summary>
    private static void SyncFolder(string folder)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return;
        var fd = Open(folder, 0 /* O_RDONLY */);
        if (fd < 0) return; // a folder we may list but not open: the file itself is flushed
        try { _ = FSync(fd); }
        finally { _ = Close(fd); }
    }

    [DllImport("libc", EntryPoint = "open")]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "fsync")]
    private static extern int FSync(int fd);

    [DllImport("libc", EntryPoint = "close")]
    private static extern int Close(int fd);
}
