using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;

namespace ProbeGrid.Client.Export;

/// <summary>
/// Writes frames (PNGs, all of one even size) as an H.264 MP4 by piping them to ffmpeg (Debian's, which
/// scripts/bootstrap installs): no .NET package here encodes H.264, and ffmpeg's encoder is the one players expect.
/// yuv420p (what browsers and slide software play) needs an even width and height.
/// </summary>
public static class Mp4Video
{
    public const string MissingFfmpeg = "writing .mp4 needs ffmpeg on PATH: run scripts/bootstrap (it installs Debian's ffmpeg), " +
                                        "or `apt-get install ffmpeg`; or write a .gif, which needs nothing else";

    /// <exception cref="InvalidOperationException">ffmpeg is missing or failed; the message names the cause and the fix.</exception>
    public static void Write(string path, IEnumerable<byte[]> pngFrames, int fps, string ffmpeg = "ffmpeg")
    {
        if (fps < 1) throw new ArgumentOutOfRangeException(nameof(fps), fps, "at least one frame a second");
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var rate = fps.ToString(CultureInfo.InvariantCulture);
        var start = new ProcessStartInfo(ffmpeg)
        {
            RedirectStandardInput = true,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
                 {
                     "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
                     "-f", "image2pipe", "-framerate", rate, "-c:v", "png", "-i", "-",
                     "-c:v", "libx264", "-pix_fmt", "yuv420p", "-r", rate, "-movflags", "+faststart", full,
                 })
            start.ArgumentList.Add(arg);

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException(MissingFfmpeg);
        }
        catch (Win32Exception)
        {
            throw new InvalidOperationException($"'{ffmpeg}' was not found: {MissingFfmpeg}");
        }
        using (process)
        {
            var errors = process.StandardError.ReadToEndAsync();
            _ = process.StandardOutput.ReadToEndAsync();
            var frames = 0;
            try
            {
                using var input = process.StandardInput.BaseStream;
                foreach (var png in pngFrames)
                {
                    input.Write(png);
                    frames++;
                }
            }
            catch (IOException)
            {
                // ffmpeg stopped reading: its exit code and message below say why.
            }
            process.WaitForExit();
            if (process.ExitCode != 0 || frames == 0)
                throw new InvalidOperationException(frames == 0
                    ? "no frames to write"
                    : $"ffmpeg could not write {full} (exit {process.ExitCode.ToString(CultureInfo.InvariantCulture)}): {errors.Result.Trim()}");
        }
    }
}
