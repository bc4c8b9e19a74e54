"""Fixtures for Tests/Zoo/TorchScript: TorchScript files and PyTorch's own outputs on them.

Usage: /usr/bin/python3 torchscript_models.py OUT_DIR DOCS_PAGE
Runs the snippet of DOCS_PAGE (docs/torchscript.md) as written, so the page cannot rot, and writes into OUT_DIR:
  resnet18_taps.pt             the snippet's file: torchvision resnet18 (10 classes), forward -> (logits, layer1..layer4)
  resnet18_expected.safetensors  input [2, 3, 32, 32] and PyTorch's logits and taps on it (eval mode)
  tiny.pt                      a small conv net (bn, dropout) whose forward returns a list [logits, conv, pooled]
  tiny_expected.safetensors    input, labels, eval-mode logits/taps, and the gradients of the mean cross-entropy
  tiny_checkpoint.safetensors  a state_dict of tiny with other weights; tiny_checkpoint_expected.safetensors its logits
  mlp.pt, mlp_checkpoints/   a scripted MLP for gaussian-sign (16 values, 2 classes) and two state_dicts of it
  refusals: state_dict.pt, pickled_module.pt, legacy_pickle.pt, bare.pt, numbers.pt, nested.pt, not_torchscript.txt
Seeded, random init, nothing downloaded.
"""
import os, re, runpy, sys
from typing import List, Tuple

import torch
import torch.nn.functional as F

from safetensors_file import write_safetensors

out, page = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
os.makedirs(out, exist_ok=True)
os.chdir(out)
torch.manual_seed(0)

# The documented snippet, exactly as docs/torchscript.md shows it.
snippet = re.search(r"<!-- snippet: resnet18-taps -->\s*```python\n(.*?)```", open(page).read(), re.S).group(1)
with open("snippet_resnet18.py", "w") as f:  # a file of its own: TorchScript reads the source of the class it scripts
    f.write(snippet)
runpy.run_path("snippet_resnet18.py", run_name="snippet")

resnet = torch.jit.load("resnet18_taps.pt").eval()
x = torch.randn(2, 3, 32, 32)
with torch.no_grad():
    logits, *taps = resnet(x)
write_safetensors("resnet18_expected.safetensors", {"input": x, "logits": logits, **{f"layer{i + 1}": t for i, t in enumerate(taps)}})


class Tiny(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(3, 4, 3, padding=1)
        self.bn = torch.nn.BatchNorm2d(4)
        self.drop = torch.nn.Dropout(0.5)
        self.fc = torch.nn.Linear(4 * 2 * 2, 5)

    def forward(self, x: torch.Tensor) -> List[torch.Tensor]:
        conv = F.relu(self.bn(self.conv(x)))
        pooled = torch.flatten(F.adaptive_avg_pool2d(conv, 2), 1)
        return [self.fc(self.drop(pooled)), conv, pooled]


def with_statistics(model):
    """Running statistics away from 0/1, so eval mode is seen using them."""
    with torch.no_grad():
        model.bn.running_mean.uniform_(-0.5, 0.5)
        model.bn.running_var.uniform_(0.5, 2.0)
        model.bn.weight.uniform_(0.5, 1.5)
        model.bn.bias.uniform_(-0.2, 0.2)
        model.bn.num_batches_tracked.fill_(7)
    return model


tiny = with_statistics(Tiny())
scripted = torch.jit.script(tiny)
torch.jit.save(scripted, "tiny.pt")
x = torch.randn(3, 3, 8, 8)
labels = torch.tensor([0, 3, 4])
scripted.eval()
logits, conv, pooled = scripted(x)
loss = F.cross_entropy(logits, labels)
loss.backward()
write_safetensors("tiny_expected.safetensors", {
    "input": x, "labels": labels, "logits": logits, "conv": conv, "pooled": pooled, "loss": loss.reshape(1),
    "grad.conv.weight": scripted.conv.weight.grad, "grad.fc.weight": scripted.fc.weight.grad, "grad.bn.weight": scripted.bn.weight.grad})

other = with_statistics(Tiny())  # other weights, same module: a checkpoint of the sweep
write_safetensors("tiny_checkpoint.safetensors", other.state_dict())
with torch.no_grad():
    other_logits, _, _ = torch.jit.script(other).eval()(x)
write_safetensors("tiny_checkpoint_expected.safetensors", {"logits": other_logits})

class Mlp(torch.nn.Module):
    """For the grid test: gaussian-sign samples of 16 values, 2 classes, forward -> (logits, hidden1, hidden2)."""
    def __init__(self):
        super().__init__()
        self.hidden1 = torch.nn.Linear(16, 32)
        self.hidden2 = torch.nn.Linear(32, 32)
        self.out = torch.nn.Linear(32, 2)

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        hidden1 = F.relu(self.hidden1(x))
        hidden2 = F.relu(self.hidden2(hidden1))
        return self.out(hidden2), hidden1, hidden2


torch.jit.save(torch.jit.script(Mlp()), "mlp.pt")
os.makedirs("mlp_checkpoints", exist_ok=True)
for step in (100, 200):
    write_safetensors(f"mlp_checkpoints/step-{step:06d}.safetensors", Mlp().state_dict())

# Files the architecture must refuse, each with its cause and fix.
torch.save(tiny.state_dict(), "state_dict.pt")
torch.save(tiny, "pickled_module.pt")
torch.save(tiny.state_dict(), "legacy_pickle.pt", _use_new_zipfile_serialization=False)


class Bare(torch.nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.flatten(x, 1)[:, :5]


class Numbers(torch.nn.Module):
    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, int]:
        return torch.flatten(x, 1)[:, :5], 3


class Nested(torch.nn.Module):
    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, List[torch.Tensor]]:
        return torch.flatten(x, 1)[:, :5], [x, x]


for name, module in {"bare": Bare(), "numbers": Numbers(), "nested": Nested()}.items():
    torch.jit.save(torch.jit.script(module), f"{name}.pt")
with open("not_torchscript.txt", "w") as f:
    f.write("not a model\n")
print("ok")
