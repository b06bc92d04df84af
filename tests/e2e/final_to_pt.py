#!/usr/bin/python3
"""Saves a results file's /model/final with torch.save (a model.init input).

  final_to_pt.py RESULTS.h5 OUT.pt"""
import sys

import h5py
import torch

with h5py.File(sys.argv[1], "r") as f:
    torch.save(torch.from_numpy(f["model/final"][:]), sys.argv[2])
