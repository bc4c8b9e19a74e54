using System.Diagnostics;
using System.Text.Json;

namespace ProbeGrid.Tests.Data.ImageFolder;

/// <summary>Runs Tests/Fixtures/python/image_folder_peer.py with Debian's /usr/bin/python3 (torch 1.13, torchvision 0.14, PIL 9.4).</summary>
internal static class TorchvisionPeer
{
    public const string Python = "/usr/bin/python3";

    public static string Script
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "ProbeGrid.sln")))
                    return Path.Combine(dir.FullName, "Tests", "Fixtures", "python", "image_folder_peer.py");
            throw new InvalidOperationException("ProbeGrid.sln not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>Writes the peer's small mixed folder (PNG, JPEG, grey, RGBA, palette, odd sizes) to <paramref name="folder"/>.</summary>
    public static void Make(string folder) => Run("make", folder);

    /// <summary>What torchvision's ImageFolder reads from <paramref name="root"/> through Resize(resize), CenterCrop(crop), ToTensor, Normalize.</summary>
    public static PeerRead Read(string root, string output, int resize, int crop, string mean, string std, int channels)
    {
        Run("read", root, output, resize.ToString(), crop.ToString(), mean, std, channels.ToString());
        using var meta = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "meta.json")));
        var r = meta.RootElement;
        return new PeerRead(
            [.. r.GetProperty("classes").EnumerateArray().Select(e => e.GetString()!)],
            [.. r.GetProperty("targets").EnumerateArray().Select(e => e.GetInt64())],
            [.. r.GetProperty("paths").EnumerateArray().Select(e => e.GetString()!)],
            Floats(Path.Combine(output, "pil.bin")),
            Floats(Path.Combine(output, "tensor.bin")));
    }

    private static float[] Floats(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var floats = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, floats, 0, bytes.Length); // little-endian, as numpy wrote '<f4'
        return floats;
    }

    private static void Run(params string[] arguments)
    {
        var start = new ProcessStartInfo(Python) { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(Script);
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{Python} {string.Join(' ', start.ArgumentList)} failed ({process.ExitCode}): {stderr.Result}");
    }
}

/// <summary>torchvision's view of a folder: classes, targets, paths, and the samples through PIL and through torch's tensor resize.</summary>
public sealed record PeerRead(string[] Classes, long[] Targets, string[] Paths, float[] Pil, float[] Tensor);
