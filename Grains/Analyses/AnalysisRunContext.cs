using Microsoft.Extensions.Logging;
using ProbeGrid.Grains.Compute;
using ProbeGrid.Grains.Models;

namespace ProbeGrid.Grains.Analyses;

/// <summary>
/// What a runner may use: the grain factory (for shards and stored units), the silo's executor, its services (the jobs), a logger,
/// the silo's identity, and the architectures and data sets it knows.
/// </summary>
public sealed record AnalysisRunContext(IGrainFactory Grains, IComputeExecutor Executor, IServiceProvider Services, ILogger Logger, string Silo, ModelCatalog Models);
