using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ProbeGrid.Grains.Analyses;

/// <summary>
/// Registers analyses with a silo's services, one <see cref="AddAnalysis{T}"/> call per kind, the way Orleans
/// registers its storage providers; the <see cref="AnalysisRegistry"/> collects them.
/// </summary>
public static class AnalysisRegistration
{
    /// <summary>The analyses ProbeGrid ships: the one list both DI and <see cref="AnalysisRegistry.BuiltIn"/> use.</summary>
    public static IEnumerable<IGridAnalysis> BuiltIn() =>
    [
        new ProbeAnalysis(),
        new WassersteinAnalysis(),
        new ComplexityAnalysis(),
        new DiscardingAnalysis(),
        new CkaAnalysis(),
        new SyntheticAnalysis(),
    ];

    public static IServiceCollection AddAnalysis<T>(this IServiceCollection services) where T : class, IGridAnalysis
    {
        services.AddSingleton<IGridAnalysis, T>();
        services.TryAddSingleton<AnalysisRegistry>();
        return services;
    }

    public static IServiceCollection AddBuiltInAnalyses(this IServiceCollection services)
    {
        foreach (var analysis in BuiltIn()) services.AddSingleton<IGridAnalysis>(analysis);
        services.TryAddSingleton<AnalysisRegistry>();
        return services;
    }
}
