using Microsoft.Extensions.DependencyInjection;
using ProbeGrid.Grains.Compute;
using ProbeGrid.GrainsInterfaces.Sweeps;

namespace ProbeGrid.Grains.Analyses;

/// <summary>Each layer has its own disentanglers: one unit at a time, nothing shared between layers (its games fan out to shards).</summary>
internal sealed class ComplexityRunner(AnalysisRunContext context, ComplexitySettings settings) : IAnalysisRunner
{
    private readonly ComplexityJob job = context.Services.GetRequiredService<ComplexityJob>();

    public async Task<AnalysisOutput> Run(CheckpointWork work, LayerRef layer)
    {
        var result = await new ComplexityUnit(context.Grains, context.Executor, job, context.Models, context.Logger).Run(work, layer, settings);
        return new AnalysisOutput(ComplexityAnalysis.Metrics(result, work.Checkpoint, layer, work.Repeat));
    }
}
