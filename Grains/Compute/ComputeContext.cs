using TorchSharp;

namespace ProbeGrid.Grains.Compute;

/// <summary>What a running job gets: the device of its slot and its cancellation.</summary>
public sealed record ComputeContext(torch.Device Device, CancellationToken CancellationToken);
