using System.Diagnostics;
using ProbeGrid.Grains.Compute;
using ProbeGrid.GrainsInterfaces.Sweeps;

namespace ProbeGrid.Grains.Analyses;

/// <summary>Holds one executor slot for the spec's duration: one job per unit, nothing batched.</summary>
internal sealed class SyntheticRunner(AnalysisRunContext context, SyntheticSettings settings) : IAnalysisRunner
{
    public async Task<AnalysisOutput> Run(CheckpointWork work, LayerRef layer)
    {
        var duration = settings.DurationMs;
        var held = await context.Executor.Run(new ComputeRequest($"synthetic unit {work.Checkpoint.Name}/{layer.Name}", 0, Units: 1), compute =>
        {
            var started = Stopwatch.GetTimestamp();
            // Held like a real job: a stopping silo cancels it.
            if (duration > 0 && compute.CancellationToken.WaitHandle.WaitOne(duration)) compute.CancellationToken.ThrowIfCancellationRequested();
            return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        });
        return new AnalysisOutput(SyntheticAnalysis.Metrics(held, work.Checkpoint, layer, work.Repeat));
    }
}
