using static TorchSharp.torch;

namespace ProbeGrid.Analysis.Zoo.TorchVision;

/// <summary>
/// What ProbeGrid needs to know of one torchvision family: its parameters, the smallest image it takes, how TorchSharp
/// builds it (with any repair that makes it torchvision's network), its top-level forward as steps (for ForwardFrom),
/// its auxiliary heads and its initialisation. <see cref="TorchVisionArchitecture"/> turns one into an architecture.
/// </summary>
/// <param name="Name">torchvision's function name ("resnet18").</param>
/// <param name="UsualSide">The image side the family is usually run at (224; inception_v3 299), for benchmarks and docs.</param>
/// <param name="Minimum">The smallest image side for a configuration, and why (what breaks below it).</param>
/// <param name="Read">Reads the family's parameters (typed, validated, with torchvision's defaults).</param>
/// <param name="Create">Builds the module tree for a configuration and class count; its initial weights do not matter (they are redrawn).</param>
/// <param name="Chain">The top-level forward after any input transform, in TorchSharp's order (checked against a dry run).</param>
/// <param name="AuxiliaryHeads">The heads a configuration has, which the forward skips.</param>
/// <param name="Init">torchvision's initialisation of the family.</param>
/// <param name="UnrolledStages">
/// Top-level Sequentials whose children stand in their place among the default taps (mobilenet_v3's <c>features</c>:
/// one tap per block rather than only the last block's output).
/// </param>
public sealed record TorchVisionFamily(
    string Name,
    int UsualSide,
    Func<TorchVisionConfig, (int Side, string Why)> Minimum,
    Func<ModelParameterReader, TorchVisionConfig> Read,
    Func<TorchVisionConfig, int, nn.Module<Tensor, Tensor>> Create,
    IReadOnlyList<ForwardStep> Chain,
    Func<TorchVisionConfig, IReadOnlyList<AuxiliaryHead>> AuxiliaryHeads,
    TorchVisionInit Init,
    IReadOnlyList<string>? UnrolledStages = null);
