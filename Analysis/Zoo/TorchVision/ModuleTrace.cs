using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.Zoo.TorchVision;

/// <summary>
/// What one forward of a module tree did, seen through a pre- and a post-hook on every module: how often each module
/// ran, the order of first calls, each module's first input and output shape (batch dimension dropped), and the order
/// in which the top-level children ran. Hooks fire only through <c>module.call</c>, so a module its parent runs with
/// <c>forward</c> shows as never called.
/// </summary>
internal sealed class ModuleTrace
{
    public sealed record Entry(string Path, nn.Module<Tensor, Tensor> Module, int Calls, int FirstCall, long[]? InputShape, long[]? OutputShape);

    private ModuleTrace(IReadOnlyList<Entry> entries, IReadOnlyList<string> topLevelCalls) => (Entries, TopLevelCalls) = (entries, topLevelCalls);

    /// <summary>Every module, in the tree's named_modules order.</summary>
    public IReadOnlyList<Entry> Entries { get; }

    /// <summary>The top-level children in the order they ran (a child that ran twice appears twice).</summary>
    public IReadOnlyList<string> TopLevelCalls { get; }

    /// <summary>Runs <paramref name="forward"/> with tracing hooks on every module of <paramref name="modules"/>, removing them after, also on an exception.</summary>
    public static ModuleTrace Record(IReadOnlyList<(string Path, nn.Module<Tensor, Tensor> Module)> modules, Action forward)
    {
        var calls = new int[modules.Count];
        var firstCall = Enumerable.Repeat(int.MaxValue, modules.Count).ToArray();
        var inputs = new long[]?[modules.Count];
        var outputs = new long[]?[modules.Count];
        var topLevel = new List<string>();
        var callCounter = 0;
        var removers = new List<nn.HookableModule<Func<nn.Module<Tensor, Tensor>, Tensor, Tensor>, Func<nn.Module<Tensor, Tensor>, Tensor, Tensor, Tensor>>.HookRemover>();
        try
        {
            for (var i = 0; i < modules.Count; i++)
            {
                var index = i;
                var (path, module) = modules[i];
                removers.Add(module.register_forward_pre_hook((_, input) =>
                {
                    if (calls[index]++ == 0)
                    {
                        firstCall[index] = callCounter++;
                        inputs[index] = input.shape[1..];
                    }
                    if (!path.Contains('.')) topLevel.Add(path);
                    return null!; // null: the input stays as it is
                }));
                removers.Add(module.register_forward_hook((_, _, output) =>
                {
                    outputs[index] ??= output.shape[1..];
                    return null!;
                }));
            }
            forward();
        }
        finally
        {
            foreach (var remover in removers)
                remover.remove();
        }
        return new ModuleTrace(
            [.. modules.Select((m, i) => new Entry(m.Path, m.Module, calls[i], firstCall[i], inputs[i], outputs[i]))],
            topLevel);
    }
}
