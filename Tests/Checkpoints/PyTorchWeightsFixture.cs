using System.Diagnostics;
using ProbeGrid.Analysis.Checkpoints;
using ProbeGrid.Analysis.Zoo;
using ProbeGrid.Tests.Zoo;
using TorchSharp;

namespace ProbeGrid.Tests.Checkpoints;

/// <summary>
/// A zoo network (resnet18-small, whose batch norms add running statistics and an int64 step counter) trained a
/// few steps, saved by ProbeGrid as safetensors, then written by PyTorch 1.13 (Tests/Fixtures/python/pytorch_weights.py,
/// run once per test class with /usr/bin/python3) the ways researchers have it: pickles, wrapped dicts, half
/// precision, shards, and broken files.
/// </summary>
public sealed class PyTorchWeightsFixture : IDisposable
{
    public const string Architecture = "resnet18-small";
    public static readonly Dictionary<string, string> Parameters = new() { ["width"] = "2" };
    public static readonly long[] SampleShape = [1, 8, 8];
    private const int Classes = 3;

    private readonly TempFolder folder = new();

    public PyTorchWeightsFixture()
    {
        Trained = NewModel(seed: 1);
        using var optimizer = torch.optim.SGD(Trained.parameters(), 0.05, momentum: 0.9);
        Trained.train();
        for (var step = 0; step < 3; step++)
        {
            using var scope = torch.NewDisposeScope();
            var x = ModelState.RandomBatch(step, [8, .. SampleShape]) * 3 + 1;
            var y = torch.tensor(Enumerable.Range(0, 8).Select(i => (long)((i + step) % Classes)).ToArray());
            optimizer.zero_grad();
            Trained.TrainingLoss(x, y).backward();
            optimizer.step();
        }
        Trained.eval();
        Original = ModelState.Of(Trained);
        CheckpointFile.Save(Trained, File("source.safetensors"));

        var script = Script("pytorch_weights.py");
        using var process = Process.Start(new ProcessStartInfo("/usr/bin/python3", [script, folder.Path])
        { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var errors = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{script} failed ({process.ExitCode}): {errors.Result}");
    }

    /// <summary>The trained network (eval mode) whose weights every fixture file holds.</summary>
    public TappedModel Trained { get; }

    /// <summary>Its state, every tensor as floats.</summary>
    public Dictionary<string, float[]> Original { get; }

    public string Path => folder.Path;

    public string File(string name) => folder.File(name);

    /// <summary>The same architecture with other initial weights.</summary>
    public static TappedModel NewModel(long seed = 99) => ModelZoo.Create(Architecture, Parameters, SampleShape, Classes, seed);

    /// <summary>Tests/Fixtures/python/<paramref name="name"/> in the first folder above the test assembly that has it.</summary>
    public static string Script(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "Tests", "Fixtures", "python", name);
            if (System.IO.File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"Tests/Fixtures/python/{name} not found above {AppContext.BaseDirectory}");
    }

    public void Dispose()
    {
        Trained.Dispose();
        folder.Dispose();
    }
}
