using Microsoft.Extensions.DependencyInjection;
using ProbeGrid.Grains.Analyses;
using ProbeGrid.Grains.Compute;
using ProbeGrid.GrainsInterfaces.Sweeps;

namespace ProbeGrid.Tests.Grid.MeanSquare;

/// <summary>One executor job per unit: the layer's activations through the silo's cache, then their mean square.</summary>
internal sealed class MeanSquareRunner(AnalysisRunContext context, MeanSquareSettings settings) : IAnalysisRunner
{
    private readonly ActivationJob activations = context.Services.GetRequiredService<ActivationJob>();
    private readonly HashSet<string> lost = [];

    public async Task<AnalysisOutput> Run(CheckpointWork work, LayerRef layer)
    {
        // A grid failure, not the unit's: the checkpoint grain hands it back and the sweep runs the unit again.
        if (settings.LoseShardSilos && lost.Add(layer.Name)) throw new SiloUnavailableException($"shard of {layer.Name} lost with its silo on every attempt");
        var inputs = JobInputs.Of(work, context.Models);
        var value = await context.Executor.Run(new ComputeRequest($"mean square of {layer.Name}", ActivationJob.EstimateBytes(inputs, [layer]), Units: 1),
            compute => MeanSquare(activations.Run(inputs, [layer], compute.Device, compute.CancellationToken).Layers[layer.Name].Test, settings.Samples));
        var metrics = new UnitMetrics(work.Checkpoint, layer, work.Repeat);
        metrics.Add(MeanSquareAnalysis.Metric, value);
        return new AnalysisOutput(metrics.ToImmutable());
    }

    public static double MeanSquare(Analysis.Activations.FeatureMatrix test, int samples)
    {
        var rows = Math.Min(samples, test.Rows);
        double sum = 0;
        for (var i = 0; i < rows * test.Columns; i++) sum += (double)test.Data[i] * test.Data[i];
        return sum / (rows * test.Columns);
    }
}
