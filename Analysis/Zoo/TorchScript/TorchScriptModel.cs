using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.Zoo.TorchScript;

/// <summary>
/// A network exported with TorchScript (architecture "torchscript") whose forward returns the logits and then the
/// taps. TorchSharp's forward hooks do not fire inside TorchScript, so the taps are what forward returns, named by
/// the spec. The state (parameters and buffers) is the scripted module's own, under its own names, so a
/// state_dict of the same module loads as a checkpoint; train/eval reach the module's batch norm and dropout
/// (a module made with torch.jit.trace keeps the mode it was traced in), and autograd runs through it.
/// </summary>
public sealed class TorchScriptModel : TappedModel
{
    private readonly jit.ScriptModule script;
    private readonly IReadOnlyList<string> taps;
    private readonly IReadOnlyList<string> tapNames;

    /// <param name="script">the loaded module; this model owns it (disposing the model disposes it).</param>
    /// <param name="taps">the names of the tensors forward returns after the logits, in order.</param>
    /// <param name="file">the file it came from, for messages.</param>
    internal TorchScriptModel(jit.ScriptModule script, IReadOnlyList<string> taps, string file) : base(TorchScriptConfig.Architecture)
    {
        this.script = script;
        this.taps = taps;
        File = file;
        tapNames = ["input", .. taps, "logits"];
        RegisterComponents();
        script.train(training); // the mode it was saved in gives way to the zoo's: a new model is in training mode
    }

    /// <summary>The TorchScript file the module was loaded from.</summary>
    public string File { get; }

    public override IReadOnlyList<string> TapNames => tapNames;

    /// <summary>Only "input" (the whole network) and "logits" (nothing to run): forward is one compiled function from input to logits.</summary>
    public override IReadOnlyList<string> ForwardFromTaps => ["input", "logits"];

    public override Tensor Forward(Tensor x, TapSink? sink)
    {
        sink?.Invoke("input", x);
        var outputs = Run(x);
        for (var i = 0; i < taps.Count; i++)
        {
            sink?.Invoke(taps[i], outputs[i + 1]);
            outputs[i + 1].Dispose(); // a sink that keeps an activation holds its own alias or copy
        }
        sink?.Invoke("logits", outputs[0]);
        return outputs[0];
    }

    /// <summary>
    /// "input" runs the whole network and "logits" returns an alias of the feature; an inner tap is refused: the
    /// module's forward is one compiled function, and the layers above a tap cannot be run on their own.
    /// </summary>
    public override Tensor ForwardFrom(string tap, Tensor feature)
    {
        var index = TapIndex(tap);
        if (index == 0)
            return Forward(feature, null);
        if (index == tapNames.Count - 1)
            return feature.alias();
        throw new ArgumentException(
            $"a TorchScript model ('{File}') cannot run from tap '{tap}': its forward is one compiled function from the input to the logits, " +
            "so the layers above an inner tap cannot be run on a feature; start at 'input' or 'logits' (an analysis that runs the upper network, " +
            "such as feature complexity, takes only these), or export the upper network as a module of its own.", nameof(tap));
    }

    /// <summary>The scripted module's parameters under its own names (no prefix for this wrapper, which has none of its own).</summary>
    public override IEnumerable<(string name, Parameter parameter)> named_parameters(bool recurse = true) =>
        recurse ? script.named_parameters() : [];

    /// <summary>The scripted module's buffers (batch-norm statistics) under its own names.</summary>
    public override IEnumerable<(string name, Tensor buffer)> named_buffers(bool recurse = true, bool include_nonpersistent = true) =>
        recurse ? script.named_buffers(true, include_nonpersistent) : [];

    /// <summary>The scripted module's state under its own names: what <c>scripted.state_dict()</c> gives in PyTorch, so its checkpoints load.</summary>
    public override Dictionary<string, Tensor> state_dict(Dictionary<string, Tensor>? destination = null, string? prefix = null) =>
        script.state_dict(destination, prefix);

    /// <summary>
    /// The scripted module's submodules under its own names, listed at once: TorchSharp's lazy listing would ask the
    /// scripted module for them after it was disposed (Module.Dispose disposes as it lists).
    /// </summary>
    public override IEnumerable<(string name, nn.Module module)> named_modules() => script.named_modules().ToList();

    /// <summary>Disposes the scripted module after the wrappers of its submodules (see <see cref="named_modules"/>).</summary>
    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
            script.Dispose();
    }

    /// <summary>The module's outputs: the logits, then one tensor per tap.</summary>
    private Tensor[] Run(Tensor x)
    {
        object returned;
        try
        {
            returned = script.forward(x);
        }
        catch (System.Runtime.InteropServices.ExternalException e)
        {
            throw new ArgumentException(
                $"the TorchScript module in '{File}' refused a batch of shape [{string.Join(", ", x.shape)}]: {TorchScriptFile.Cause(e)}. " +
                "Build the model for this data's sample shape.", nameof(x), e);
        }
        var outputs = TorchScriptOutputs.Flatten(returned, out var problem)
            ?? throw new InvalidOperationException($"the TorchScript module in '{File}' {problem}");
        if (outputs.Length != taps.Count + 1)
        {
            foreach (var output in outputs)
                output.Dispose();
            throw new InvalidOperationException(
                $"the TorchScript module in '{File}' returned {outputs.Length - 1} taps after the logits, but the model names {taps.Count} " +
                $"({string.Join(", ", taps)}): give parameter 'taps' one name per returned tensor.");
        }
        return outputs;
    }
}
