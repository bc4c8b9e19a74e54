using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using ProbeGrid.Silo.Storage;

namespace ProbeGrid.Tests.Storage;

/// <summary>The grid's grain-state serializer outside a silo, for tests that read or write stored states directly.</summary>
internal static class StorageSerializer
{
    public static readonly BinaryGrainStorageSerializer Instance =
        new(new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>());
}
