using ProbeGrid.Analysis.Checkpoints;
using ProbeGrid.Analysis.Data;
using ProbeGrid.Analysis.Zoo;
using ProbeGrid.GrainsInterfaces.Specs;
using TorchSharp;
using ProbeGrid.Grains.Models;

namespace ProbeGrid.Grains.Compute;

/// <summary>
/// Builds a zoo network for a sweep's data set (shapes from the catalog, so nothing is loaded) and reads a
/// checkpoint's weights into it. The network is disposed if the weights cannot be read.
/// </summary>
public static class ModelLoader
{
    /// <summary>The job's network with its checkpoint's weights, or its seeded initialisation when it has none.</summary>
    /// <exception cref="CheckpointException">the checkpoint file is no longer the one the sweep planned.</exception>
    public static TappedModel For(JobInputs inputs, torch.Device device)
    {
        if (inputs.Checkpoint is { Path: { } path, ContentHash: { } planned }) CheckUnchanged(path, planned);
        return Load(inputs.Models, inputs.Architecture, inputs.ModelParameters, inputs.Checkpoint.Path, inputs.Dataset, inputs.InitSeed, device);
    }

    /// <summary>A checkpoint rewritten after planning would mix two runs' weights in one sweep's curves: refuse it.</summary>
    private static void CheckUnchanged(string path, string planned)
    {
        var now = CheckpointFingerprint.Of(path);
        if (now != planned)
            throw new CheckpointException(path, $"its content changed since the sweep was planned (SHA-256 {planned[..12]}… then, {now[..12]}… now).",
                "Restore the file the sweep planned, or analyse the folder as it is now in a sweep with a new sweepId.");
    }

    /// <param name="checkpoint">the weights to read; null keeps the initialisation drawn from <paramref name="seed"/>.</param>
    public static TappedModel Load(
        ModelCatalog models, string architecture, IReadOnlyDictionary<string, string> parameters, string? checkpoint, DatasetSpec dataset, long seed, torch.Device device)
    {
        var model = models.Create(architecture, parameters, dataset, seed);
        try
        {
            if (checkpoint is not null) CheckpointFile.Load(model, checkpoint);
            return model.to(device);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }
}
