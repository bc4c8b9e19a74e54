namespace ProbeGrid.Analysis.Zoo.TorchVision;

/// <summary>
/// The parameters of one torchvision family, under torchvision's meaning (camelCase names): a field a family does not
/// take is null or false. Equal configurations build equal networks (the layout caches key on it).
/// </summary>
/// <param name="Family">torchvision's function name, e.g. "resnet18".</param>
/// <param name="Dropout">The classifier's dropout (inception_v3, googlenet, vgg*, alexnet, mobilenet_v2, mobilenet_v3_*).</param>
/// <param name="DropoutAux">googlenet's auxiliary heads' dropout.</param>
/// <param name="AuxLogits">inception_v3 and googlenet: build the auxiliary heads (trained with the task, tappable).</param>
/// <param name="TransformInput">inception_v3 and googlenet: re-normalise ImageNet-normalised input as the ported Google weights expect.</param>
/// <param name="WidthMult">mobilenet_v2's and mobilenet_v3_*'s width multiplier.</param>
/// <param name="ZeroInitResidual">ResNets: start each block's last batch-norm scale at 0.</param>
/// <param name="ReducedTail">mobilenet_v3_*: halve the last stage's channels (torchvision's reduced_tail).</param>
/// <param name="Dilated">mobilenet_v3_*: dilate the last stage instead of striding it (torchvision's dilated).</param>
public sealed record TorchVisionConfig(string Family, double? Dropout, double? DropoutAux, bool AuxLogits, bool TransformInput, double? WidthMult, bool ZeroInitResidual,
    bool ReducedTail = false, bool Dilated = false);
