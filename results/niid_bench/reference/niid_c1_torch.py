#!/usr/bin/python3
"""Independent plain-PyTorch reference for NIID-Bench Fashion-MNIST #C=1 FedAvg.

10 clients, client i holds all training samples of class i.  simple-cnn,
SGD(lr=0.01, momentum=0.9, wd=1e-5) recreated every round, 10 local epochs,
batch 64, 50 rounds, equal-weight (sample-weighted) parameter averaging.
"""
import argparse
import copy
import gzip
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
try:
    torch.set_num_interop_threads(1)
except RuntimeError:
    pass

DATA = "/usr/share/datasets/fashion-mnist"
OUTDIR = os.path.dirname(os.path.abspath(__file__))


def read_idx(path):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    ndim = raw[3]
    dims = [int.from_bytes(raw[4 + 4 * k:8 + 4 * k], "big") for k in range(ndim)]
    arr = np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim)
    return arr.reshape(dims)


def load(split):
    x = read_idx(f"{DATA}/{split}-images-idx3-ubyte.gz").astype(np.float32) / 255.0
    y = read_idx(f"{DATA}/{split}-labels-idx1-ubyte.gz").astype(np.int64)
    return torch.from_numpy(x).unsqueeze(1), torch.from_numpy(y)


class SimpleCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 4 * 4, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = x.flatten(1)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return self.fc3(x)


@torch.no_grad()
def evaluate(model, x, y, bs=1000):
    model.eval()
    loss_sum, correct = 0.0, 0
    preds = []
    for s in range(0, len(x), bs):
        out = model(x[s:s + bs])
        loss_sum += F.cross_entropy(out, y[s:s + bs], reduction="sum").item()
        p = out.argmax(1)
        correct += (p == y[s:s + bs]).sum().item()
        preds.append(p)
    preds = torch.cat(preds)
    counts = torch.bincount(preds, minlength=10)
    return correct / len(x), loss_sum / len(x), counts.max().item() / len(x), counts


def local_train(model, x, y, epochs, bs, lr, mom, wd):
    model.train()
    opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=mom, weight_decay=wd)
    n = len(x)
    for _ in range(epochs):
        perm = torch.randperm(n)
        for s in range(0, n, bs):  # last partial batch kept
            idx = perm[s:s + bs]
            opt.zero_grad()
            loss = F.cross_entropy(model(x[idx]), y[idx])
            loss.backward()
            opt.step()
    return model


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--rounds", type=int, default=50)
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--bs", type=int, default=64)
    ap.add_argument("--lr", type=float, default=0.01)
    ap.add_argument("--momentum", type=float, default=0.9)
    ap.add_argument("--wd", type=float, default=1e-5)
    ap.add_argument("--client-diag-rounds", type=int, default=1,
                    help="evaluate each client's local model on the test set "
                         "for the first N rounds (diagnostic only)")
    ap.add_argument("--csv", default=None)
    args = ap.parse_args()

    torch.manual_seed(args.seed)
    np.random.seed(args.seed)

    xtr, ytr = load("train")
    xte, yte = load("t10k")
    clients = []
    for c in range(10):
        m = ytr == c
        clients.append((xtr[m].contiguous(), ytr[m].contiguous()))
    sizes = [len(cx) for cx, _ in clients]
    total = float(sum(sizes))
    print("client sizes:", sizes, flush=True)

    glob = SimpleCNN()
    csv_path = args.csv or os.path.join(OUTDIR, f"niid_c1_torch_s{args.seed}.csv")
    diag_path = csv_path.replace(".csv", "_clients.csv")
    fcsv = open(csv_path, "w")
    fcsv.write("round,test_acc,test_loss,top_class_frac,secs\n")
    fcsv.flush()
    fdiag = open(diag_path, "w")
    fdiag.write("round,client,test_acc,top_class,top_class_frac,pred_counts\n")
    fdiag.flush()

    acc, loss, top, counts = evaluate(glob, xte, yte)
    print(f"round 0 acc {acc:.4f} loss {loss:.4f} top_frac {top:.3f}", flush=True)

    for r in range(1, args.rounds + 1):
        t0 = time.time()
        gstate = copy.deepcopy(glob.state_dict())
        avg = {k: torch.zeros_like(v, dtype=torch.float32) for k, v in gstate.items()}
        for c, (cx, cy) in enumerate(clients):
            local = SimpleCNN()
            local.load_state_dict(gstate)
            local_train(local, cx, cy, args.epochs, args.bs, args.lr,
                        args.momentum, args.wd)
            w = sizes[c] / total
            for k, v in local.state_dict().items():
                avg[k] += w * v
            if r <= args.client_diag_rounds:
                ca, _, ctop, ccounts = evaluate(local, xte, yte)
                tc = int(ccounts.argmax())
                cl = " ".join(str(int(v)) for v in ccounts)
                print(f"  r{r} client {c}: acc {ca:.4f} top_class {tc} "
                      f"frac {ctop:.3f} counts [{cl}]", flush=True)
                fdiag.write(f"{r},{c},{ca:.4f},{tc},{ctop:.4f},{cl}\n")
                fdiag.flush()
        glob.load_state_dict(avg)
        train_secs = time.time() - t0
        acc, loss, top, counts = evaluate(glob, xte, yte)
        cl = " ".join(str(int(v)) for v in counts)
        print(f"round {r} acc {acc:.4f} loss {loss:.4f} top_frac {top:.3f} "
              f"secs {train_secs:.1f} counts [{cl}]", flush=True)
        fcsv.write(f"{r},{acc:.4f},{loss:.4f},{top:.4f},{train_secs:.1f}\n")
        fcsv.flush()
    fcsv.close()
    fdiag.close()


if __name__ == "__main__":
    main()
