#!/usr/bin/python3
"""Write a TorchScript model fedhpc can train (model.torchscript: FILE).

  /usr/bin/python3 scripts/export_model.py NAME OUT.pt [--classes 10] [--seed 0]

NAME is one of:
  logreg, mlp_2nn, cnn_mcmahan, cnn_simple   the built-in architectures, layer for layer (the same
                                             parameters in the same order and shapes)
  cnn_groupnorm                              a 28x28 CNN fedhpc does not have built in: two 3x3 conv
                                             blocks with GroupNorm, global average pooling, a linear head
  resnet8_groupnorm                          a ResNet-8 for 3x32x32 images with GroupNorm (no running
                                             statistics, so nothing to average but the parameters)
  cnn_batchnorm                              a 28x28 CNN with BatchNorm: running statistics are buffers
                                             (model.buffers: average or local)
  char_lstm                                  the built-in next-character LSTM (embedding 8, two LSTM
                                             layers of --hidden units, 256 as LEAF's); --classes is the
                                             vocabulary (data.dataset brown: the corpus's characters)

The module is scripted (torch.jit.script), its weights drawn from --seed with PyTorch's default
initialisation; fedhpc starts every run from them. Runs under Debian's python3-torch (1.13, the
LibTorch fedhpc links). Any module of your own works the same way: forward(x) with x a batch
[B, sample shape...] returning logits [B, classes], saved with torch.jit.save.
"""
import argparse
import sys

import torch
from torch import nn
import torch.nn.functional as F


class LogReg(nn.Module):
    def __init__(self, classes: int):
        super().__init__()
        self.fc = nn.Linear(784, classes)

    def forward(self, x):
        return self.fc(x.flatten(1))


class Mlp2nn(nn.Module):
    def __init__(self, classes: int):
        super().__init__()
        self.fc1, self.fc2, self.fc3 = nn.Linear(784, 200), nn.Linear(200, 200), nn.Linear(200, classes)

    def forward(self, x):
        x = F.relu(self.fc1(x.flatten(1)))
        return self.fc3(F.relu(self.fc2(x)))


class CnnMcMahan(nn.Module):
    def __init__(self, classes: int):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 5, padding=2)
        self.conv2 = nn.Conv2d(32, 64, 5, padding=2)
        self.fc1, self.fc2 = nn.Linear(3136, 512), nn.Linear(512, classes)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        return self.fc2(F.relu(self.fc1(x.flatten(1))))


class CnnSimple(nn.Module):
    def __init__(self, classes: int):
        super().__init__()
        self.conv1, self.conv2 = nn.Conv2d(1, 6, 5), nn.Conv2d(6, 16, 5)
        self.fc1, self.fc2, self.fc3 = nn.Linear(256, 120), nn.Linear(120, 84), nn.Linear(84, classes)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = F.relu(self.fc1(x.flatten(1)))
        return self.fc3(F.relu(self.fc2(x)))


class CnnGroupNorm(nn.Module):
    def __init__(self, classes: int):
        super().__init__()
        self.conv1, self.norm1 = nn.Conv2d(1, 16, 3, padding=1), nn.GroupNorm(4, 16)
        self.conv2, self.norm2 = nn.Conv2d(16, 32, 3, padding=1), nn.GroupNorm(4, 32)
        self.head = nn.Linear(32, classes)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.norm1(self.conv1(x))), 2)
        x = F.max_pool2d(F.relu(self.norm2(self.conv2(x))), 2)
        return self.head(x.mean(dim=(2, 3)))


class Block(nn.Module):
    def __init__(self, cin: int, cout: int, stride: int):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False)
        self.norm1 = nn.GroupNorm(2, cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1, bias=False)
        self.norm2 = nn.GroupNorm(2, cout)
        self.skip = nn.Sequential()
        if stride != 1 or cin != cout:
            self.skip = nn.Sequential(nn.Conv2d(cin, cout, 1, stride=stride, bias=False), nn.GroupNorm(2, cout))

    def forward(self, x):
        y = F.relu(self.norm1(self.conv1(x)))
        return F.relu(self.norm2(self.conv2(y)) + self.skip(x))


class ResNet8GroupNorm(nn.Module):
    def __init__(self, classes: int):
        super().__init__()
        self.stem, self.norm = nn.Conv2d(3, 16, 3, padding=1, bias=False), nn.GroupNorm(2, 16)
        self.layer1, self.layer2, self.layer3 = Block(16, 16, 1), Block(16, 32, 2), Block(32, 64, 2)
        self.head = nn.Linear(64, classes)

    def forward(self, x):
        x = F.relu(self.norm(self.stem(x)))
        x = self.layer3(self.layer2(self.layer1(x)))
        return self.head(x.mean(dim=(2, 3)))


class CnnBatchNorm(nn.Module):
    def __init__(self, classes: int):
        super().__init__()
        self.conv1, self.norm1 = nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16)
        self.conv2, self.norm2 = nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32)
        self.head = nn.Linear(32, classes)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.norm1(self.conv1(x))), 2)
        x = F.max_pool2d(F.relu(self.norm2(self.conv2(x))), 2)
        return self.head(x.mean(dim=(2, 3)))


class CharLstm(nn.Module):
    def __init__(self, classes: int, hidden: int = 256):
        super().__init__()
        self.embedding = nn.Embedding(classes, 8)
        self.lstm = nn.LSTM(8, hidden, num_layers=2, batch_first=True)
        self.fc = nn.Linear(hidden, classes)

    def forward(self, x):
        out, _ = self.lstm(self.embedding(x.long()))
        return self.fc(out[:, -1, :])


MODELS = {"logreg": LogReg, "mlp_2nn": Mlp2nn, "cnn_mcmahan": CnnMcMahan, "cnn_simple": CnnSimple,
          "cnn_groupnorm": CnnGroupNorm, "resnet8_groupnorm": ResNet8GroupNorm, "cnn_batchnorm": CnnBatchNorm,
          "char_lstm": CharLstm}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("name", choices=sorted(MODELS))
    ap.add_argument("out", help="the TorchScript file to write")
    ap.add_argument("--classes", type=int, default=10)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--hidden", type=int, default=256, help="char_lstm: units per LSTM layer")
    args = ap.parse_args()
    torch.manual_seed(args.seed)
    model = CharLstm(args.classes, args.hidden) if args.name == "char_lstm" else MODELS[args.name](args.classes)
    module = torch.jit.script(model)
    torch.jit.save(module, args.out)
    params = sum(p.numel() for p in module.parameters())
    print(f"export_model: {args.name} ({params} parameters, {args.classes} classes) -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
