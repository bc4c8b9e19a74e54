using static TorchSharp.torch;

namespace ProbeGrid.Analysis.Zoo.TorchVision;

/// <summary>
/// One step of a network's top-level forward: a call of the child module <see cref="Module"/>, or a function without
/// parameters between two calls (torch.flatten, a functional pool). A family lists its steps so that
/// <see cref="HookedModel.ForwardFrom"/> can start part-way; the model checks them against a dry run of the real forward.
/// </summary>
public sealed record ForwardStep(string? Module, Func<Tensor, Tensor>? Function, string Description)
{
    public static ForwardStep Child(string name) => new(name, null, name);

    public static ForwardStep Apply(string description, Func<Tensor, Tensor> function) => new(null, function, description);

    /// <summary>torch.flatten(x, 1), the step between pooling and the classifier in most families.</summary>
    public static ForwardStep Flatten { get; } = Apply("flatten(1)", x => x.flatten(1));
}
