using Orleans.Serialization;
using Orleans.Storage;

namespace ProbeGrid.Silo.Storage;

/// <summary>
/// Grain state in Orleans' own version-tolerant binary format, for every storage provider
/// (SQLite and Redis). The providers' default, Newtonsoft JSON, cannot read back the immutable
/// collections the contract types use.
/// </summary>
public sealed class BinaryGrainStorageSerializer(Serializer serializer) : IGrainStorageSerializer
{
    public BinaryData Serialize<T>(T? input) => new(serializer.SerializeToArray(input));

    public T Deserialize<T>(BinaryData input) => serializer.Deserialize<T>(input.ToMemory())!;
}
