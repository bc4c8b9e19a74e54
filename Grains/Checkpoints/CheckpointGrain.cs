using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using ProbeGrid.Grains.Analyses;
using ProbeGrid.Grains.Compute;
using ProbeGrid.Grains.Models;
using ProbeGrid.Grains.Placement;
using ProbeGrid.Grains.Units;
using ProbeGrid.GrainsInterfaces.Grains;
using ProbeGrid.GrainsInterfaces.Sweeps;

namespace ProbeGrid.Grains.Checkpoints;

/// <summary>
/// One checkpoint of a sweep and repeat. Each analysis's units are computed by that analysis's runner, one per
/// kind and activation, which may batch them (the probes of all layers in one executor job). Reentrant, so units
/// of one checkpoint wait for their jobs side by side rather than one after another.
/// </summary>
[Reentrant]
[CheckpointAffinityPlacementAttribute]
public sealed class CheckpointGrain(IComputeExecutor executor, AnalysisRegistry analyses, ModelCatalog models, IServiceProvider services, ILogger<CheckpointGrain> logger)
    : Grain, ICheckpointGrain
{
    /// <summary>A unit whose libtorch call failed runs once more before its failure is reported (see <see cref="Analyse"/>).</summary>
    private const int NativeAttempts = 2;

    private readonly Dictionary<string, IAnalysisRunner> runners = new(StringComparer.Ordinal);

    public async Task<UnitOutcome> Analyse(CheckpointWork work, LayerRef layer, string analysis)
    {
        var key = new UnitKey(work.Checkpoint.Name, layer.Name, analysis, work.Repeat);
        var started = Stopwatch.GetTimestamp();
        UnitOutcome Failed(string error) => new(key, [], error, RuntimeIdentity, Stopwatch.GetElapsedTime(started).TotalSeconds);

        if (!analyses.TryGet(analysis, out var kind))
            return Failed($"analysis '{analysis}' is not one this silo runs ({string.Join(", ", analyses.Kinds)}); upgrade the silo or remove it from the spec");
        if (!runners.TryGetValue(analysis, out var runner))
        {
            if (work.SettingsFor(analysis) is not { } settings)
                return Failed($"the work carries no settings for analysis '{analysis}' (a coordinator of another version): resubmit the sweep");
            runners[analysis] = runner = kind.CreateRunner(new AnalysisRunContext(GrainFactory, executor, services, logger, RuntimeIdentity, models), settings);
        }
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var output = await runner.Run(work, layer);
                return new UnitOutcome(key, output.Metrics, null, RuntimeIdentity, Stopwatch.GetElapsedTime(started).TotalSeconds)
                {
                    Maps = output.Maps,
                    ProbeWeights = output.ProbeWeights,
                };
            }
            catch (ExternalException e) when (attempt < NativeAttempts)
            {
                // libtorch errors are mostly bad input, which fails again at once; but TorchSharp 0.107 can free a
                // temporary Scalar while the native call still reads it (seen once in Adam's addcdiv_), which a second run survives.
                logger.LogWarning("Sweep {SweepId} unit {Unit}: libtorch raised {Message}; running it once more", work.SweepId, key, e.Message.Split('\n')[0]);
            }
            catch (Exception e) when (e is SiloStoppingException || (e is OperationCanceledException && executor.IsStopping))
            {
                // Not the unit's failure: thrown, not returned, so the sweep runs the unit again rather than recording it.
                throw e as SiloStoppingException ?? new SiloStoppingException($"unit {key} was interrupted: its silo is shutting down", e);
            }
            catch (Exception e) when (LostSiloRetry.IsLostSilo(e))
            {
                // A shard's silo was lost on every attempt: the grid's failure, not the unit's. Thrown, so the sweep runs the unit again.
                throw;
            }
            catch (Exception e)
            {
                return Failed(UnitErrors.Describe(e));
            }
        }
    }
}
