using System.Diagnostics;
using ProbeGrid.Analysis.Checkpoints;
using static TorchSharp.torch;

namespace ProbeGrid.Tests.Zoo.TorchScript;

/// <summary>
/// The TorchScript files and PyTorch's outputs on them, written once per test class by
/// Tests/Fixtures/python/torchscript_models.py (Debian's torch 1.13 under /usr/bin/python3) into a temporary folder.
/// The script runs the snippet of docs/torchscript.md as the page shows it.
/// </summary>
public sealed class TorchScriptFixture : IDisposable
{
    public TorchScriptFixture()
    {
        var root = RepositoryRoot();
        Folder = Directory.CreateTempSubdirectory("probegrid-torchscript").FullName;
        var start = new ProcessStartInfo("/usr/bin/python3")
        {
            ArgumentList = { Path.Combine(root, "Tests", "Fixtures", "python", "torchscript_models.py"), Folder, Path.Combine(root, "docs", "torchscript.md") },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var python = Process.Start(start)!;
        var errors = python.StandardError.ReadToEndAsync();
        var output = python.StandardOutput.ReadToEnd();
        if (!python.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            python.Kill();
            throw new TimeoutException("torchscript_models.py ran for over 3 minutes");
        }
        if (python.ExitCode != 0)
            throw new InvalidOperationException($"torchscript_models.py failed ({python.ExitCode}): {output}{errors.Result}");
    }

    /// <summary>The folder the fixture files are in.</summary>
    public string Folder { get; }

    public string PathOf(string file) => Path.Combine(Folder, file);

    /// <summary>The tensors of one of the fixture's safetensors files, as PyTorch wrote them.</summary>
    public Dictionary<string, Tensor> Expected(string file) => SafetensorsFormat.Read(PathOf(file));

    public void Dispose() => Directory.Delete(Folder, recursive: true);

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ProbeGrid.sln"))) return dir.FullName;
        throw new InvalidOperationException("ProbeGrid.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>The test classes that share one run of the fixture script.</summary>
[CollectionDefinition(Name)]
public sealed class TorchScriptCollection : ICollectionFixture<TorchScriptFixture>
{
    public const string Name = "torchscript files";
}
