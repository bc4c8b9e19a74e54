using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.Zoo.TorchVision;

/// <summary>
/// Any <c>nn.Module&lt;Tensor, Tensor&gt;</c> (a torchvision family, a module tree of one's own) as a <see cref="TappedModel"/> whose
/// taps are module paths: "input", every module's path for its output ("layer3.1", "Mixed_5b.branch1x1.conv"),
/// "PATH:input" for its input, and "logits". Taps are captured by forward hooks registered for the asked taps only,
/// during that forward, and removed after it (also on an exception). The network's top-level children are registered
/// as this model's own, so <c>state_dict()</c> has the network's keys unchanged (what PyTorch writes for the same tree)
/// and parameters(), train(), to() and Dispose act on the network.
/// </summary>
/// <remarks>
/// Each tap is a clone taken when its hook fires: torchvision's blocks overwrite activations in place later
/// (<c>ReLU(inplace)</c>, <c>x.add_(identity).relu_()</c>) and Sequential disposes its intermediates. The clones are
/// handed to the sink after the forward returns, in <see cref="TapNames"/> order, in the caller's dispose scope (inside
/// the network's forward the network's own dispose scopes are open), and disposed once the sink has seen them: a sink
/// that keeps one takes an alias. The price is that every asked tap is held until the forward ends.
/// </remarks>
public sealed class HookedModel : TappedModel
{
    public const string InputTap = "input";
    public const string LogitsTap = "logits";
    public const string InputSuffix = ":input";

    private readonly nn.Module<Tensor, Tensor> network;
    private readonly Dictionary<string, nn.Module<Tensor, Tensor>> byPath = new(StringComparer.Ordinal);
    private readonly IReadOnlyList<ForwardStep>? chain;
    private readonly ModuleTrace trace;
    private readonly string[] tapNames;
    private readonly HashSet<string> tapSet;
    private readonly string[] forwardFromTaps;
    private readonly HashSet<string> forwardFromSet;
    private readonly string[] defaultTaps;
    private long[] logitsShape = [];

    /// <param name="name">The model's name in messages (the architecture, e.g. "resnet18").</param>
    /// <param name="network">The module tree; this model owns it from now on (disposing the model disposes it).</param>
    /// <param name="sampleShape">One sample's shape; a dry run of one zero sample names the taps and checks the steps.</param>
    /// <param name="chain">
    /// The network's top-level forward as steps (after any input transform the network does first), or null when
    /// unknown: then <see cref="ForwardFrom"/> starts only at "input" and "logits".
    /// </param>
    /// <param name="auxiliaryHeads">Heads the network's forward skips (torchvision runs them in training only).</param>
    /// <param name="unrolledStages">Top-level Sequentials whose children replace them among the <see cref="DefaultTaps"/>.</param>
    /// <exception cref="InvalidOperationException">The chain does not call the top-level children the real forward calls, in that order.</exception>
    /// <exception cref="ArgumentException">An auxiliary head or an unrolled stage names a module the network does not have (as such).</exception>
    public HookedModel(string name, nn.Module<Tensor, Tensor> network, long[] sampleShape, IReadOnlyList<ForwardStep>? chain = null,
        IReadOnlyList<AuxiliaryHead>? auxiliaryHeads = null, IReadOnlyCollection<string>? unrolledStages = null) : base(name)
    {
        // Registered first, while no field holds the network: field scanning would register it whole, as "network".
        RegisterComponents();
        foreach (var (childName, child) in network.named_children())
            register_module(childName, child);
        this.network = network;
        this.chain = chain;
        SampleShape = [.. sampleShape];
        AuxiliaryHeads = auxiliaryHeads ?? [];

        foreach (var (path, module) in named_modules())
        {
            if (module is nn.Module<Tensor, Tensor> tensorModule)
                byPath.TryAdd(path, tensorModule);
        }
        foreach (var head in AuxiliaryHeads)
        {
            if (!byPath.ContainsKey(head.Module) || !byPath.ContainsKey(head.Source))
                throw new ArgumentException($"{name}: auxiliary head '{head.Module}' on '{head.Source}' names a module the network does not have.", nameof(auxiliaryHeads));
        }
        var unrolled = new HashSet<string>(unrolledStages ?? [], StringComparer.Ordinal);
        foreach (var stage in unrolled.Where(s => s.Contains('.') || byPath.GetValueOrDefault(s) is not Sequential))
            throw new ArgumentException($"{name}: unrolled stage '{stage}' is not a top-level Sequential of the network.", nameof(unrolledStages));

        trace = DryRun();
        var taps = trace.Entries.Where(e => e.Calls == 1).OrderBy(e => e.FirstCall).ToList();
        tapNames = [InputTap, .. taps.SelectMany(e => new[] { e.Path + InputSuffix, e.Path }), LogitsTap];
        tapSet = new HashSet<string>(tapNames, StringComparer.Ordinal);
        defaultTaps = [.. taps.Where(e => !e.Path.Contains('.') && e.Module is not (Dropout or Flatten))
            .SelectMany(e => unrolled.Contains(e.Path) ? taps.Where(c => IsChild(c.Path, e.Path)).Select(c => c.Path) : [e.Path])];
        forwardFromSet = ForwardFromStarts();
        forwardFromTaps = [.. tapNames.Where(forwardFromSet.Contains)];
    }

    /// <summary>One sample's shape, as built: every batch must have it.</summary>
    public long[] SampleShape { get; }

    /// <summary>The heads the forward skips and training adds (with their loss weights).</summary>
    public IReadOnlyList<AuxiliaryHead> AuxiliaryHeads { get; }

    /// <summary>The wrapped network (its children are this model's children).</summary>
    public nn.Module<Tensor, Tensor> Network => network;

    /// <summary>
    /// "input", then for each module that runs exactly once per forward, by order of first call in a dry run,
    /// "PATH:input" and "PATH", then "logits". Auxiliary heads appear where they run (right after their source's tree).
    /// </summary>
    public override IReadOnlyList<string> TapNames => tapNames;

    /// <summary>
    /// The top-level children that run once (the main stages), without dropout and flatten, which repeat the tap before
    /// them; an unrolled stage is replaced by its children that run once.
    /// </summary>
    public IReadOnlyList<string> DefaultTaps => defaultTaps;

    /// <summary>
    /// "input", "logits" and every tap through which all of the forward on the way to the logits passes: the steps of the
    /// top-level chain and, inside a Sequential that is such a tap, its children, recursively (with their ":input").
    /// </summary>
    public override IReadOnlyList<string> ForwardFromTaps => forwardFromTaps;

    /// <summary>Each module as the dry run at <see cref="SampleShape"/> saw it, in order of first call (modules that never ran last).</summary>
    public IReadOnlyList<TapInfo> Describe()
    {
        var defaults = new HashSet<string>(defaultTaps, StringComparer.Ordinal);
        return [.. trace.Entries.OrderBy(e => e.FirstCall).Select(e => new TapInfo(e.Path, e.Module.GetType().Name, e.InputShape, e.OutputShape, e.Calls,
            forwardFromSet.Contains(e.Path), defaults.Contains(e.Path)))];
    }

    /// <summary>Each tap's per-sample shape as the dry run saw it, in <see cref="TapNames"/> order: what <see cref="TappedModel.TapShapes"/> measures, without a second forward.</summary>
    public IReadOnlyDictionary<string, long[]> TraceShapes()
    {
        var entries = trace.Entries.ToDictionary(e => e.Path, StringComparer.Ordinal);
        var shapes = new Dictionary<string, long[]>(StringComparer.Ordinal);
        foreach (var tap in tapNames)
        {
            shapes[tap] = tap switch
            {
                InputTap => [.. SampleShape],
                LogitsTap => [.. logitsShape],
                _ when tap.EndsWith(InputSuffix, StringComparison.Ordinal) => [.. entries[tap[..^InputSuffix.Length]].InputShape!],
                _ => [.. entries[tap].OutputShape!],
            };
        }
        return shapes;
    }

    public override Tensor Forward(Tensor x, TapSink? sink) => Forward(x, sink, null);

    /// <summary>
    /// Runs the network, reporting <paramref name="taps"/> (null: every tap) to <paramref name="sink"/> after the
    /// forward, in <see cref="TapNames"/> order. A tap under an auxiliary head runs that head on its source's output
    /// (in eval mode too), so its hooks fire; the head's result is thrown away.
    /// </summary>
    /// <exception cref="ArgumentException">A tap is unknown, or names a module that runs other than once per forward; the batch has another sample shape.</exception>
    public override Tensor Forward(Tensor x, TapSink? sink, IReadOnlySet<string>? taps)
    {
        CheckBatch(x);
        if (sink is null)
            return network.forward(x);
        var wanted = taps ?? tapSet;
        CheckTaps(wanted);

        var captured = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var removers = new List<Action>();
        Tensor logits;
        try
        {
            if (wanted.Contains(InputTap))
                captured[InputTap] = Kept(x);
            foreach (var (path, module) in byPath)
            {
                var inputTap = path + InputSuffix;
                if (wanted.Contains(inputTap))
                    removers.Add(module.register_forward_pre_hook((_, input) =>
                    {
                        captured[inputTap] = Kept(input);
                        return null!; // null: the input stays as it is
                    }).remove);
                if (wanted.Contains(path))
                    removers.Add(module.register_forward_hook((_, _, output) =>
                    {
                        captured[path] = Kept(output);
                        return null!;
                    }).remove);
            }
            foreach (var head in AuxiliaryHeads.Where(h => wanted.Any(h.Owns)))
                removers.Add(RunHeadAfterSource(head, output => output.Dispose()));
            logits = network.forward(x);
        }
        catch
        {
            foreach (var tensor in captured.Values)
                tensor.Dispose();
            throw;
        }
        finally
        {
            foreach (var remove in removers)
                remove();
        }

        try
        {
            foreach (var tap in tapNames)
            {
                if (captured.TryGetValue(tap, out var activation))
                    sink(tap, activation);
                else if (tap == LogitsTap && wanted.Contains(LogitsTap))
                    sink(tap, logits);
            }
        }
        finally
        {
            foreach (var tensor in captured.Values)
                tensor.Dispose();
        }
        return logits;
    }

    /// <summary>
    /// The task loss plus each auxiliary head's weight times its task loss, the heads run on their sources' outputs
    /// (torchvision's recipe: inception_v3 adds 0.4 x AuxLogits's loss). Without heads, the task loss.
    /// </summary>
    public override Tensor TrainingLoss(Tensor x, Tensor labels)
    {
        if (AuxiliaryHeads.Count == 0)
            return base.TrainingLoss(x, labels);
        CheckBatch(x);
        var auxiliary = new List<(AuxiliaryHead Head, Tensor Output)>();
        var removers = new List<Action>();
        try
        {
            Tensor logits;
            try
            {
                foreach (var head in AuxiliaryHeads)
                    removers.Add(RunHeadAfterSource(head, output => auxiliary.Add((head, output))));
                logits = network.forward(x);
            }
            finally
            {
                foreach (var remove in removers)
                    remove();
            }
            using var scope = torch.NewDisposeScope();
            var loss = Loss(logits, labels);
            logits.Dispose();
            foreach (var (head, output) in auxiliary)
                loss = loss + head.LossWeight * Loss(output, labels);
            return loss.MoveToOuterDisposeScope();
        }
        finally
        {
            foreach (var (_, output) in auxiliary)
                output.Dispose();
        }
    }

    /// <summary>
    /// Runs the network above <paramref name="tap"/> (one of <see cref="ForwardFromTaps"/>) on <paramref name="feature"/>:
    /// the rest of each Sequential the tap sits in, innermost first, then the rest of the top-level chain. Nothing
    /// below the tap runs. The feature is cloned first, since the next module may work in place (ReLU(inplace)).
    /// </summary>
    public override Tensor ForwardFrom(string tap, Tensor feature)
    {
        if (!forwardFromSet.Contains(tap))
            throw new ArgumentException(tapSet.Contains(tap)
                ? $"{GetName()} cannot run from '{tap}': not everything on the way to the logits passes through it (a skip connection or a parallel branch " +
                  $"goes around it, or its parent is not a chain of modules). Start at one of: {string.Join(", ", forwardFromTaps)}."
                : $"{GetName()} has no tap '{tap}'{NearestNames.Suggestion(tap, tapNames)}.", nameof(tap));
        if (tap == InputTap)
            return Forward(feature, null);
        if (tap == LogitsTap)
            return feature.alias();

        var inclusive = tap.EndsWith(InputSuffix, StringComparison.Ordinal);
        var segments = (inclusive ? tap[..^InputSuffix.Length] : tap).Split('.');
        using var scope = torch.NewDisposeScope();
        var h = feature.clone();
        for (var level = segments.Length - 1; level >= 1; level--)
        {
            var parent = (Sequential)byPath[string.Join('.', segments[..level])];
            var children = parent.named_children().ToList();
            var at = children.FindIndex(c => c.name == segments[level]);
            for (var k = inclusive && level == segments.Length - 1 ? at : at + 1; k < children.Count; k++)
                h = ((nn.Module<Tensor, Tensor>)children[k].module).call(h);
        }
        var steps = chain!;
        var top = steps.Select((s, i) => (s, i)).First(p => p.s.Module == segments[0]).i;
        for (var k = inclusive && segments.Length == 1 ? top : top + 1; k < steps.Count; k++)
            h = steps[k].Module is { } child ? byPath[child].call(h) : steps[k].Function!(h);
        return h.MoveToOuterDisposeScope();
    }

    public override void train(bool train = true)
    {
        base.train(train);
        network.train(train); // the network's own flag too (its children are already set)
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
            network.Dispose(); // also what is not registered here (a head the configuration left out)
    }

    private static bool IsChild(string path, string parent) =>
        path.Length > parent.Length + 1 && path.StartsWith(parent + ".", StringComparison.Ordinal) && !path.AsSpan(parent.Length + 1).Contains('.');

    /// <summary>A clone that outlives the network's dispose scopes (the caller disposes it).</summary>
    private static Tensor Kept(Tensor activation)
    {
        var copy = activation.clone();
        copy.DetachFromDisposeScope();
        return copy;
    }

    /// <summary>Hooks <paramref name="head"/> to run on its source's output; its result (out of every dispose scope) goes to <paramref name="use"/>. Returns the unhooking.</summary>
    private Action RunHeadAfterSource(AuxiliaryHead head, Action<Tensor> use)
    {
        var module = byPath[head.Module];
        return byPath[head.Source].register_forward_hook((_, _, output) =>
        {
            var result = module.call(output);
            result.DetachFromDisposeScope();
            use(result);
            return null!;
        }).remove;
    }

    private ModuleTrace DryRun()
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var wasTraining = training;
        eval();
        try
        {
            var input = torch.zeros([1, .. SampleShape]);
            var removers = AuxiliaryHeads.Select(h => RunHeadAfterSource(h, output => output.Dispose())).ToList();
            try
            {
                var entries = byPath.Select(m => (m.Key, m.Value)).ToList();
                var recorded = ModuleTrace.Record(entries, () => logitsShape = network.forward(input).shape[1..]);
                CheckChain(recorded);
                return recorded;
            }
            finally
            {
                foreach (var remove in removers)
                    remove();
            }
        }
        finally
        {
            train(wasTraining);
        }
    }

    /// <summary>The chain's module steps must be exactly the top-level calls the real forward made (heads aside).</summary>
    private void CheckChain(ModuleTrace recorded)
    {
        if (chain is null)
            return;
        var heads = new HashSet<string>(AuxiliaryHeads.Select(h => h.Module), StringComparer.Ordinal);
        var declared = chain.Where(s => s.Module is not null).Select(s => s.Module!).ToList();
        var ran = recorded.TopLevelCalls.Where(c => !heads.Contains(c)).ToList();
        if (!declared.SequenceEqual(ran, StringComparer.Ordinal))
            throw new InvalidOperationException(
                $"{GetName()}: the forward steps declared for ForwardFrom ({string.Join(", ", declared)}) are not the top-level modules the network's forward " +
                $"calls ({string.Join(", ", ran)}); fix the family's steps to follow TorchSharp's forward.");
    }

    private HashSet<string> ForwardFromStarts()
    {
        var starts = new HashSet<string>(StringComparer.Ordinal) { InputTap, LogitsTap };
        if (chain is null)
            return starts;
        var calls = trace.Entries.ToDictionary(e => e.Path, e => e.Calls, StringComparer.Ordinal);
        void Add(string path)
        {
            if (calls[path] != 1)
                return;
            starts.Add(path);
            starts.Add(path + InputSuffix);
            if (byPath[path] is Sequential sequential)
                foreach (var (child, _) in sequential.named_children())
                    Add($"{path}.{child}");
        }
        foreach (var step in chain.Where(s => s.Module is not null))
            Add(step.Module!);
        return starts;
    }

    private void CheckBatch(Tensor x)
    {
        if (x.dim() != SampleShape.Length + 1 || !x.shape.Skip(1).SequenceEqual(SampleShape))
            throw new ArgumentException(
                $"{GetName()} was built for samples of shape [{string.Join(", ", SampleShape)}] but got a batch of shape [{string.Join(", ", x.shape)}]; " +
                "build the model for this sample shape, or resize the images.", nameof(x));
    }

    private void CheckTaps(IReadOnlySet<string> wanted)
    {
        var problems = new List<string>();
        foreach (var tap in wanted.Where(t => !tapSet.Contains(t)))
        {
            var path = tap.EndsWith(InputSuffix, StringComparison.Ordinal) ? tap[..^InputSuffix.Length] : tap;
            var entry = trace.Entries.FirstOrDefault(e => e.Path == path);
            problems.Add(entry is null
                ? $"no tap '{tap}'{NearestNames.Suggestion(tap, tapNames)}"
                : entry.Calls == 0
                    ? $"'{tap}' is not a tap: module '{path}' does not run in this network's forward"
                    : $"'{tap}' is not a tap: module '{path}' runs {entry.Calls} times per forward (one module shared by several places), so it has no single " +
                      "activation; tap the modules around it instead");
        }
        if (problems.Count > 0)
            throw new ArgumentException($"{GetName()}: {string.Join("; ", problems)}.", "taps");
    }
}
