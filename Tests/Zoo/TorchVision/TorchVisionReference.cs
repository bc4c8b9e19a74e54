using System.Diagnostics;
using System.Text.Json;
using ProbeGrid.Analysis.Checkpoints;
using ProbeGrid.Tests.Data;
using static TorchSharp.torch;

namespace ProbeGrid.Tests.Zoo.TorchVision;

/// <summary>
/// PyTorch's torchvision as the reference, once per test class: runs Tests/Fixtures/python/torchvision_reference.py
/// with Debian's /usr/bin/python3 (torch 1.13, torchvision 0.14) into a temporary folder, and reads what it wrote:
/// every family's state_dict keys and shapes, per numeric case a seeded state_dict, an input batch, logits and taps, and for
/// a few cases the batch norms' running statistics after one training-mode forward.
/// </summary>
public sealed class TorchVisionReference : IDisposable
{
    private const string Python = "/usr/bin/python3";
    private readonly TemporaryFolder folder = new();

    public TorchVisionReference()
    {
        var script = FindScript("torchvision_reference.py");
        var start = new ProcessStartInfo(Python) { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(folder.Path);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {Python}");
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{script} ran over 3 minutes");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{script} failed ({process.ExitCode}); is python3-torchvision installed (scripts/bootstrap)?\n{stderr.Result}");

        Keys = JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, long[]>>>(File.ReadAllText(folder.File("keys.json")))!;
        Cases = JsonSerializer.Deserialize<List<ReferenceCase>>(File.ReadAllText(folder.File("cases.json")), new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!
            .ToDictionary(c => c.Case);
    }

    public sealed record ReferenceCase(string Case, string Family, Dictionary<string, string> Parameters, int Side, List<string> Taps);

    /// <summary>Variant ("inception_v3", "inception_v3|auxLogits=false") to state_dict key to shape.</summary>
    public IReadOnlyDictionary<string, Dictionary<string, long[]>> Keys { get; }

    public IReadOnlyDictionary<string, ReferenceCase> Cases { get; }

    public string WeightsPath(string name) => folder.File($"{name}.weights.safetensors");

    /// <summary>"input", "logits" and each tap PyTorch recorded for the case.</summary>
    public Dictionary<string, Tensor> Outputs(string name) => SafetensorsFormat.Read(folder.File($"{name}.outputs.safetensors"));

    /// <summary>Every batch norm's running_mean, running_var and num_batches_tracked after one training-mode forward of the case's input.</summary>
    public Dictionary<string, Tensor> Trained(string name) => SafetensorsFormat.Read(folder.File($"{name}.trained.safetensors"));

    public void Dispose() => folder.Dispose();

    private static string FindScript(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "Tests", "Fixtures", "python", name);
            if (File.Exists(candidate))
                return candidate;
        }
        throw new FileNotFoundException($"Tests/Fixtures/python/{name} not found above {AppContext.BaseDirectory}");
    }
}
