using ProbeGrid.Analysis.Zoo;
using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Tests.Activations;

/// <summary>
/// A parameter-free tapped model (taps "input", "squared" = x², "logits" = the sum of x² and of x)
/// that records the batch size and training flag of every forward pass, to see what mode
/// extraction runs a model in.
/// </summary>
internal sealed class ModeRecordingModel : TappedModel
{
    public ModeRecordingModel() : base("mode-recording") => RegisterComponents();

    public override IReadOnlyList<string> TapNames { get; } = ["input", "squared", "logits"];

    public List<(long Batch, bool Training)> Passes { get; } = [];

    public override Tensor Forward(Tensor x, TapSink? sink)
    {
        Passes.Add((x.shape[0], training));
        sink?.Invoke("input", x);
        var squared = x.square();
        sink?.Invoke("squared", squared);
        var logits = torch.stack([squared.sum(1), x.sum(1)], 1);
        sink?.Invoke("logits", logits);
        return logits;
    }

    /// <summary>The logits need the input as well as "squared", so only "input" and "logits" can be a start.</summary>
    public override Tensor ForwardFrom(string tap, Tensor feature) => tap switch
    {
        "input" => Forward(feature, null),
        "logits" => feature.alias(),
        _ => throw new ArgumentException($"mode-recording cannot run from tap '{tap}'; start at one of: input, logits.", nameof(tap)),
    };

    public override IReadOnlyList<string> ForwardFromTaps { get; } = ["input", "logits"];
}
