using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

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
        return services.AddAnalysisRegistry();
    }

    public static IServiceCollection AddBuiltInAnalyses(this IServiceCollection services)
    {
        foreach (var analysis in BuiltIn()) services.AddSingleton<IGridAnalysis>(analysis);
        return services.AddAnalysisRegistry();
    }

    /// <summary>
    /// The registry, and a codec for the option records of <c>ProbeGrid.Analysis</c> that settings hold: Analysis knows
    /// nothing of Orleans, so they carry no serializer attributes and travel as JSON inside the settings' Orleans encoding.
    /// </summary>
    private static IServiceCollection AddAnalysisRegistry(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(AnalysisRegistry))) return services;
        services.AddSingleton<AnalysisRegistry>();
        return services.AddSerializer(serializer => serializer.AddJsonSerializer(isSupported: IsAnalysisOption));
    }

    /// <summary>A type of the Analysis project (its options), which has no Orleans attributes.</summary>
    public static bool IsAnalysisOption(Type type) =>
        type.Assembly == typeof(ProbeGrid.Analysis.IntegerText).Assembly && type.Namespace?.StartsWith("ProbeGrid.Analysis", StringComparison.Ordinal) == true;
}
