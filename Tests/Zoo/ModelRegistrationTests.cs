using Microsoft.Extensions.DependencyInjection;
using ProbeGrid.Analysis.Data;
using ProbeGrid.Analysis.Zoo;
using ProbeGrid.Grains.Models;
using ProbeGrid.Tests.Data;

namespace ProbeGrid.Tests.Zoo;

/// <summary>A host registers architectures and data sets with one Add call each, and its registries hold exactly those.</summary>
public class ModelRegistrationTests
{
    [Fact]
    public void Built_in_and_user_kinds_land_in_the_hosts_registries()
    {
        using var services = new ServiceCollection()
            .AddBuiltInArchitectures().AddArchitecture<TwoLayerArchitecture>()
            .AddBuiltInDatasets().AddDataset<CountingDataset>()
            .BuildServiceProvider();

        var architectures = services.GetRequiredService<ArchitectureRegistry>();
        Assert.Equal([.. ArchitectureRegistry.BuiltIn.Names, "two-layer"], architectures.Names);
        Assert.IsType<TwoLayerArchitecture>(architectures.Get("two-layer"));
        Assert.Same(architectures, services.GetRequiredService<ArchitectureRegistry>());

        var datasets = services.GetRequiredService<DatasetRegistry>();
        Assert.Equal([.. DatasetRegistry.BuiltIn.Names, "counting"], datasets.Names);
        Assert.Equal([4, 4, 4], datasets.Get("counting").SplitSizes(new Dictionary<string, string>()));
    }

    [Fact]
    public void A_kind_added_twice_is_refused_when_the_registry_is_built()
    {
        using var services = new ServiceCollection().AddBuiltInArchitectures().AddArchitecture<MlpArchitecture>().BuildServiceProvider();
        var error = Assert.Throws<InvalidOperationException>(() => services.GetRequiredService<ArchitectureRegistry>());
        Assert.Contains("two architectures are registered as 'mlp'", error.Message);
    }
}
