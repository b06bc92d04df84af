#!/usr/bin/python3
"""What a researcher writes instead of fedhpc (the overhead benchmark's baseline): FedAvg in
plain PyTorch + mpi4py, the same workload as benchmarks/overhead/logreg_1000.yaml:
Fashion-MNIST split IID into 1,000 clients of 60 samples, logistic regression
(784 -> 10), every client every round, E=1, B=10, lr 0.05, one thread per rank.
Clients are dealt round-robin to the ranks; each trains from the global
weights, its sample-weighted delta is summed locally, one MPI Reduce combines
the ranks and one Bcast returns the new model.

    mpirun -n 2 /usr/bin/python3 benchmarks/overhead/python_baseline.py [--rounds 6] [--clients 1000]

Prints the median seconds per round (rounds after the first) and a
FEDHPC_BASELINE line. Needs Debian's python3-torch, python3-mpi4py, python3-numpy.
"""
import argparse
import gzip
import os
import time

import numpy as np
import torch
from mpi4py import MPI

DATA = "/usr/share/datasets/fashion-mnist"


def idx(path):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    dims = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--rounds", type=int, default=6)
    p.add_argument("--clients", type=int, default=1000)
    p.add_argument("--batch", type=int, default=10)
    p.add_argument("--lr", type=float, default=0.05)
    p.add_argument("--data", default=os.environ.get("FEDHPC_FMNIST", DATA))
    args = p.parse_args()
    comm = MPI.COMM_WORLD
    rank, size = comm.Get_rank(), comm.Get_size()
    torch.set_num_threads(1)
    torch.manual_seed(rank)

    x = torch.from_numpy(idx(os.path.join(args.data, "train-images-idx3-ubyte.gz")).astype(np.float32) / 255.0)
    x = x.reshape(len(x), -1)
    y = torch.from_numpy(idx(os.path.join(args.data, "train-labels-idx1-ubyte.gz")).astype(np.int64))
    perm = torch.from_numpy(np.random.default_rng(0).permutation(len(x)))
    shards = torch.chunk(perm, args.clients)  # IID: 60 samples each for 1,000 clients
    mine = list(range(rank, args.clients, size))
    total = sum(len(s) for s in shards)

    model = torch.nn.Linear(784, 10)
    flat_global = torch.nn.utils.parameters_to_vector(model.parameters()).detach().clone()
    comm.Bcast(flat_global.numpy(), root=0)
    times = []
    for _ in range(args.rounds):
        comm.Barrier()
        start = time.perf_counter()
        acc = torch.zeros_like(flat_global)
        for c in mine:
            torch.nn.utils.vector_to_parameters(flat_global, model.parameters())
            opt = torch.optim.SGD(model.parameters(), lr=args.lr)
            idx_c = shards[c][torch.randperm(len(shards[c]))]
            for lo in range(0, len(idx_c), args.batch):
                b = idx_c[lo:lo + args.batch]
                opt.zero_grad()
                loss = torch.nn.functional.cross_entropy(model(x[b]), y[b])
                loss.backward()
                opt.step()
            with torch.no_grad():
                delta = torch.nn.utils.parameters_to_vector(model.parameters()) - flat_global
                acc += delta * (len(idx_c) / total)
        summed = np.zeros_like(acc.numpy())
        comm.Reduce(acc.numpy(), summed, op=MPI.SUM, root=0)
        if rank == 0:
            flat_global += torch.from_numpy(summed)
        comm.Bcast(flat_global.numpy(), root=0)
        times.append(time.perf_counter() - start)
    if rank == 0:
        measured = sorted(times[1:] if len(times) > 1 else times)
        median = measured[len(measured) // 2]
        print(f"python baseline: {args.clients} clients on {size} rank(s), rounds {', '.join(f'{t:.3f}' for t in times)} s")
        print(f"FEDHPC_BASELINE name=python_fedavg ranks={size} clients={args.clients} seconds_per_round={median:.6f}")


if __name__ == "__main__":
    main()
