using Microsoft.Extensions.DependencyInjection;
using ProbeGrid.Grains.Compute;
using ProbeGrid.GrainsInterfaces.Sweeps;

namespace ProbeGrid.Grains.Analyses;

/// <summary>Each layer has its own decoder and samples: one unit at a time, nothing shared between layers. Its output carries the maps.</summary>
internal sealed class DiscardingRunner(AnalysisRunContext context, DiscardingSettings settings) : IAnalysisRunner
{
    private readonly DecoderJob decoders = context.Services.GetRequiredService<DecoderJob>();

    public async Task<AnalysisOutput> Run(CheckpointWork work, LayerRef layer)
    {
        var result = await new DiscardingUnit(context.Grains, context.Executor, decoders, context.Models, context.Logger).Run(work, layer, settings);
        return new AnalysisOutput(DiscardingAnalysis.Metrics(result, work.Checkpoint, layer, work.Repeat))
        {
            Maps = DiscardingAnalysis.Maps(result, work.Checkpoint, layer, work.Repeat, settings.Maps),
        };
    }
}
