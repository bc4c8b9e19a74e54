"""PyTorch's torchvision as the reference for ProbeGrid's TorchVision families (Tests/Zoo/TorchVision).

Usage: /usr/bin/python3 torchvision_reference.py OUT_DIR

Writes, with torch 1.13 / torchvision 0.14, nothing downloaded:
  keys.json                    every family's state_dict keys and shapes (10 classes; built without init: cheap)
  cases.json                   the numeric cases: family, parameters, image side, taps
  CASE.weights.safetensors     a seeded random state_dict (random batch-norm statistics too, so eval-mode BN is no identity)
  CASE.outputs.safetensors     "input" (batch 2), "logits" and each tap, from forward hooks in eval mode
  CASE.trained.safetensors     for the TRAINED cases: every batch norm's running statistics after one training-mode
                               forward of the same input from the same weights (each family's momentum at work)
"""
import json
import os
import sys

import torch
import torchvision
from torch import nn

from safetensors_file import write_safetensors

M = torchvision.models
CLASSES = 10


# Each family with ProbeGrid's defaults (torchvision's for weights=None); name -> constructor of (num_classes).
FAMILIES = {
    "resnet18": lambda c: M.resnet18(num_classes=c),
    "resnet34": lambda c: M.resnet34(num_classes=c),
    "resnet50": lambda c: M.resnet50(num_classes=c),
    "resnet101": lambda c: M.resnet101(num_classes=c),
    "resnet152": lambda c: M.resnet152(num_classes=c),
    "resnext50_32x4d": lambda c: M.resnext50_32x4d(num_classes=c),
    "resnext101_32x8d": lambda c: M.resnext101_32x8d(num_classes=c),
    "resnext101_64x4d": lambda c: M.resnext101_64x4d(num_classes=c),
    "wide_resnet50_2": lambda c: M.wide_resnet50_2(num_classes=c),
    "wide_resnet101_2": lambda c: M.wide_resnet101_2(num_classes=c),
    "vgg11": lambda c: M.vgg11(num_classes=c),
    "vgg11_bn": lambda c: M.vgg11_bn(num_classes=c),
    "vgg13": lambda c: M.vgg13(num_classes=c),
    "vgg13_bn": lambda c: M.vgg13_bn(num_classes=c),
    "vgg16": lambda c: M.vgg16(num_classes=c),
    "vgg16_bn": lambda c: M.vgg16_bn(num_classes=c),
    "vgg19": lambda c: M.vgg19(num_classes=c),
    "vgg19_bn": lambda c: M.vgg19_bn(num_classes=c),
    "alexnet": lambda c: M.alexnet(num_classes=c),
    "googlenet": lambda c: M.googlenet(num_classes=c, aux_logits=True, init_weights=True),
    "googlenet|auxLogits=false": lambda c: M.googlenet(num_classes=c, aux_logits=False, init_weights=True),
    "inception_v3": lambda c: M.inception_v3(num_classes=c, aux_logits=True, init_weights=True),
    "inception_v3|auxLogits=false": lambda c: M.inception_v3(num_classes=c, aux_logits=False, init_weights=True),
    "mobilenet_v2": lambda c: M.mobilenet_v2(num_classes=c),
    "mobilenet_v2|widthMult=0.5": lambda c: M.mobilenet_v2(num_classes=c, width_mult=0.5),
    "mobilenet_v3_large": lambda c: M.mobilenet_v3_large(num_classes=c),
    "mobilenet_v3_large|widthMult=0.75": lambda c: M.mobilenet_v3_large(num_classes=c, width_mult=0.75),
    "mobilenet_v3_large|dilated=true": lambda c: M.mobilenet_v3_large(num_classes=c, dilated=True),
    "mobilenet_v3_small": lambda c: M.mobilenet_v3_small(num_classes=c),
    "mobilenet_v3_small|reducedTail=true|widthMult=1.25": lambda c: M.mobilenet_v3_small(num_classes=c, reduced_tail=True, width_mult=1.25),
}

# Numeric cases: (case, family key, image side, taps). Small images, batch 2. vgg* and alexnet are left out: their
# classifiers alone hold 58M-120M parameters (0.2-0.5 GB a state_dict); their keys are checked, and their code is Sequentials.
CASES = [
    ("resnet18", "resnet18", 32, ["layer2", "layer3.1.conv2", "layer4.0:input", "avgpool", "layer1.0.bn1"]),
    ("inception_v3_75", "inception_v3|auxLogits=false", 75, ["Mixed_5b", "Mixed_6e", "Mixed_7c", "Mixed_5b.branch1x1.conv"]),
    ("inception_v3_299", "inception_v3", 299, ["Mixed_6e", "AuxLogits", "Mixed_7c"]),
    ("googlenet", "googlenet", 32, ["inception4a", "aux1", "aux2", "inception5b"]),
    ("mobilenet_v2", "mobilenet_v2", 32, ["features.3", "features.4:input", "features.18"]),
    ("resnext50_32x4d", "resnext50_32x4d", 32, ["layer3", "layer4.2"]),
    # Inside blocks too: the squeeze-excitation's scale, a block's Sequential before its residual add, in-place Hardswish.
    ("mobilenet_v3_large", "mobilenet_v3_large", 32, ["features.0", "features.4.block.2.scale_activation", "features.5.block", "features.5",
                                                      "features.8.block.0.2", "features.13:input", "features.16", "avgpool", "classifier.1"]),
    ("mobilenet_v3_small", "mobilenet_v3_small", 32, ["features.1.block.1", "features.3", "features.6.block.2.fc1", "features.10", "features.12",
                                                      "classifier.0"]),
    # The last stage dilated instead of strided: at 64x64 it stays 4x4 (2x2 when strided).
    ("mobilenet_v3_large_dilated", "mobilenet_v3_large|dilated=true", 64, ["features.13.block.1.0", "features.15", "features.16"]),
    ("mobilenet_v3_small_tail", "mobilenet_v3_small|reducedTail=true|widthMult=1.25", 32, ["features.9", "features.12", "classifier.2"]),
]

# Cases whose batch norms are also run once in training mode (TRAINED above).
TRAINED = {"mobilenet_v3_small"}


def without_init(build):
    """Builds a model for its keys only: PyTorch's and torchvision's init draws are skipped (they are most of the cost)."""
    saved = {}
    targets = [(nn.Linear, "reset_parameters"), (nn.modules.conv._ConvNd, "reset_parameters"), (nn.modules.batchnorm._NormBase, "reset_parameters")]
    inits = ["kaiming_normal_", "normal_", "constant_", "trunc_normal_", "zeros_", "ones_", "uniform_"]
    try:
        for cls, name in targets:
            saved[(cls, name)] = getattr(cls, name)
            setattr(cls, name, lambda self: None)
        for name in inits:
            saved[(nn.init, name)] = getattr(nn.init, name)
            setattr(nn.init, name, lambda tensor, *a, **k: tensor)
        return build(CLASSES)
    finally:
        for (owner, name), value in saved.items():
            setattr(owner, name, value)


def randomised(model, seed):
    """Random batch-norm statistics and affine parameters: with torchvision's init (1, 0, mean 0, var 1) eval-mode BN would be nearly the identity."""
    generator = torch.Generator().manual_seed(seed + 1)
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, nn.BatchNorm2d):
                module.running_mean.copy_(torch.randn(module.running_mean.shape, generator=generator) * 0.1)
                module.running_var.copy_(torch.rand(module.running_var.shape, generator=generator) + 0.5)
                module.weight.copy_(torch.rand(module.weight.shape, generator=generator) + 0.5)
                module.bias.copy_(torch.randn(module.bias.shape, generator=generator) * 0.1)
                module.num_batches_tracked.fill_(7)
            elif isinstance(module, torchvision.ops.SqueezeExcitation):
                # Biases that reach the clipping of ReLU6 (above 6) and of Hardsigmoid (beyond +-3): at torchvision's zero biases a
                # squeeze-excitation with ReLU6 for ReLU (TorchSharp's mistake) gives the same numbers.
                module.fc1.bias.copy_(torch.rand(module.fc1.bias.shape, generator=generator) * 12 - 2)
                module.fc2.bias.copy_(torch.randn(module.fc2.bias.shape, generator=generator) * 3)
    return model


def run_case(out, case, family, side, taps, seed):
    torch.manual_seed(seed)
    model = randomised(FAMILIES[family](CLASSES), seed).eval()
    modules = dict(model.named_modules())
    captured = {}
    handles = []
    for tap in taps:
        if tap.endswith(":input"):
            path = tap[: -len(":input")]
            handles.append(modules[path].register_forward_pre_hook(lambda m, i, tap=tap: captured.__setitem__(tap, i[0].clone())))
        elif tap not in ("AuxLogits", "aux1", "aux2"):
            handles.append(modules[tap].register_forward_hook(lambda m, i, o, tap=tap: captured.__setitem__(tap, o.clone())))
    # torchvision runs auxiliary heads in training only: in eval, call each on its source's output by hand.
    sources = {"AuxLogits": "Mixed_6e", "aux1": "inception4a", "aux2": "inception4d"}
    for head, source in sources.items():
        if head in taps:
            handles.append(modules[source].register_forward_hook(lambda m, i, o, head=head: captured.__setitem__(head, modules[head](o).clone())))
    x = torch.randn(2, 3, side, side, generator=torch.Generator().manual_seed(seed + 2))
    with torch.no_grad():
        logits = model(x)
    for handle in handles:
        handle.remove()
    write_safetensors(os.path.join(out, f"{case}.weights.safetensors"), model.state_dict())
    write_safetensors(os.path.join(out, f"{case}.outputs.safetensors"), {"input": x, "logits": logits, **captured})
    if case in TRAINED:
        model.train()
        with torch.no_grad():
            model(x)
        statistics = {k: v for k, v in model.state_dict().items() if k.endswith(("running_mean", "running_var", "num_batches_tracked"))}
        write_safetensors(os.path.join(out, f"{case}.trained.safetensors"), statistics)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    keys = {}
    for name, build in FAMILIES.items():
        keys[name] = {k: list(v.shape) for k, v in without_init(build).state_dict().items()}
    with open(os.path.join(out, "keys.json"), "w") as f:
        json.dump(keys, f)
    cases = []
    for index, (case, family, side, taps) in enumerate(CASES):
        run_case(out, case, family, side, taps, seed=100 + 10 * index)
        name, *parameters = family.split("|")
        cases.append({"case": case, "family": name, "parameters": dict(p.split("=") for p in parameters), "side": side, "taps": taps})
    with open(os.path.join(out, "cases.json"), "w") as f:
        json.dump(cases, f)


if __name__ == "__main__":
    main()
