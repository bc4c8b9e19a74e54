using System.Runtime.CompilerServices;
using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.Zoo.TorchScript;

/// <summary>
/// What a TorchScript module's forward returned, as the flat list of tensors this architecture takes: the logits,
/// then the taps. TorchSharp hands back a tuple of up to five tensors as a ValueTuple, a longer one or a list as
/// Tensor[], and anything holding other values as object[] or nested tuples; all are read here.
/// </summary>
public static class TorchScriptOutputs
{
    /// <summary>The returned tensors in order, or null with <paramref name="problem"/> (the rest of a sentence) when they are not a flat list of tensors.</summary>
    public static Tensor[]? Flatten(object? returned, out string? problem)
    {
        problem = null;
        switch (returned)
        {
            case Tensor:
                problem = "returns a single tensor (the logits alone), so there are no taps: make forward return (logits, tap1, tap2, ...), " +
                          "a tuple or list of tensors with the logits first.";
                return null;
            case Tensor[] tensors:
                return tensors;
            case object?[] items:
                return AllTensors(items, out problem);
            case ITuple tuple:
                return AllTensors([.. Enumerable.Range(0, tuple.Length).Select(i => tuple[i])], out problem);
            default:
                problem = $"returns {Describe(returned)}, not tensors: make forward return (logits, tap1, tap2, ...), a tuple or list of tensors with the logits first.";
                return null;
        }
    }

    private static Tensor[]? AllTensors(object?[] items, out string? problem)
    {
        var others = items.Select((item, i) => (item, i)).Where(p => p.item is not Tensor).ToList();
        if (others.Count == 0)
        {
            problem = null;
            return [.. items.Cast<Tensor>()];
        }
        foreach (var item in items.OfType<IDisposable>())
            item.Dispose();
        problem = $"returns {items.Length} values of which {string.Join(", ", others.Select(p => $"value {p.i} is {Describe(p.item)}"))}: " +
                  "make forward return only tensors, flat: (logits, tap1, tap2, ...), with no nested tuples or lists and no numbers or None.";
        return null;
    }

    private static string Describe(object? value) => value switch
    {
        null => "None",
        Scalar => "a number",
        Tensor[] or object[] => "a nested list",
        ITuple => "a nested tuple",
        _ => $"a {value.GetType().Name}",
    };
}
