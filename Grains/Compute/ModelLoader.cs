using ProbeGrid.Analysis.Checkpoints;
using ProbeGrid.Analysis.Data;
using ProbeGrid.Analysis.Zoo;
using ProbeGrid.GrainsInterfaces.Specs;
using ProbeGrid.GrainsInterfaces.Sweeps;
using TorchSharp;

namespace ProbeGrid.Grains.Compute;

/// <summary>
/// Builds a zoo network for a sweep's data set (shapes from the catalog, so nothing is loaded) and reads a
/// checkpoint's weights into it. The network is disposed if the weights cannot be read.
/// </summary>
public static class ModelLoader
{
    /// <summary>The work's network with its checkpoint's weights, or its seeded initialisation when it has none.</summary>
    public static TappedModel ForWork(CheckpointWork work, torch.Device device) =>
        Load(work.Architecture, work.ModelParameters, work.Checkpoint.Path, work.Spec.Dataset, work.Spec.Model.InitSeed + work.Repeat, device);

    /// <param name="checkpoint">the weights to read; null keeps the initialisation drawn from <paramref name="seed"/>.</param>
    public static TappedModel Load(
        string architecture, IReadOnlyDictionary<string, string> parameters, string? checkpoint, DatasetSpec dataset, long seed, torch.Device device)
    {
        var model = ModelZoo.Create(architecture, parameters, DatasetCatalog.SampleShape(dataset.Name, dataset.Parameters),
            DatasetCatalog.ClassCount(dataset.Name), seed, DatasetCatalog.TargetShape(dataset.Name, dataset.Parameters));
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
