namespace ProbeGrid.Analysis.Checkpoints;

/// <summary>How a checkpoint's weights are stored; told by content, never by extension alone.</summary>
public enum CheckpointFormat
{
    /// <summary>TorchSharp's <c>module.save</c> format (what <c>probegrid train</c> writes as <c>.pt</c>).</summary>
    TorchSharp,

    /// <summary>One safetensors file.</summary>
    Safetensors,

    /// <summary>A PyTorch <c>torch.save</c> zip pickle (<c>.pt</c>, <c>.pth</c>, <c>.bin</c>).</summary>
    PyTorchPickle,

    /// <summary>An index (<c>*.index.json</c>) and its shards, each of them safetensors or a pickle.</summary>
    Sharded,
}
