#!/usr/bin/python3
"""Convert a NumPy .npz file to fedhpc's HDF5 data format.

  /usr/bin/python3 scripts/convert/npz_to_hdf5.py IN.npz OUT.h5 [--name NAME] [--num-classes C]
                                                 [--x-scale S] [--channels-last]

IN.npz holds x_train, y_train, x_test, y_test (Keras's names; train_x, train_y, test_x, test_y are
accepted too), and optionally client_train and client_test (each sample's owner, for
data.partition.kind: natural). uint8 inputs are stored as they are with x_scale 1/255 unless
--x-scale says otherwise; other inputs become float32 with x_scale 1. --channels-last moves the
last axis of images stored N x H x W x C (Keras's CIFAR-10) to N x C x H x W, the layout LibTorch's
convolutions expect.
"""
import argparse
import os
import sys
import zipfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fedhpc_format import ConvertError, run, write_dataset  # noqa: E402

NAMES = {"train_x": ("x_train", "train_x"), "train_y": ("y_train", "train_y"), "test_x": ("x_test", "test_x"),
         "test_y": ("y_test", "test_y"), "train_client": ("client_train", "train_client"),
         "test_client": ("client_test", "test_client")}


def pick(arrays, role, path, required=True):
    for name in NAMES[role]:
        if name in arrays:
            return arrays[name]
    if required:
        raise ConvertError(f"{path}: has no {' or '.join(NAMES[role])} (found {', '.join(sorted(arrays)) or 'nothing'})")
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("npz")
    ap.add_argument("out")
    ap.add_argument("--name", help="the data set's name attribute (default: the file's stem)")
    ap.add_argument("--num-classes", type=int, help="default: the largest label + 1")
    ap.add_argument("--x-scale", type=float, help="default: 1/255 for uint8 inputs, else 1")
    ap.add_argument("--channels-last", action="store_true", help="images are N x H x W x C: store N x C x H x W")
    args = ap.parse_args()
    try:
        with np.load(args.npz, allow_pickle=False) as f:
            arrays = {k: f[k] for k in f.files}
    except (OSError, ValueError, zipfile.BadZipFile) as e:
        raise ConvertError(f"{args.npz}: not a readable .npz file: {e}")
    parts = {role: pick(arrays, role, args.npz, required=not role.endswith("client")) for role in NAMES}
    for split in ("train", "test"):
        x, y = parts[f"{split}_x"], parts[f"{split}_y"].reshape(-1)
        if len(x) != len(y):
            raise ConvertError(f"{args.npz}: {split}: {len(x)} inputs but {len(y)} labels")
        if x.ndim < 2 or len(y) == 0:
            raise ConvertError(f"{args.npz}: {split}: expected a non-empty N x features or N x C x H x W array, "
                               f"found shape {x.shape}")
        if args.channels_last and x.ndim != 4:
            raise ConvertError(f"{args.npz}: {split}: --channels-last expects N x H x W x C images, found {x.shape}")
        if args.channels_last:
            x = np.moveaxis(x, -1, 1)
        parts[f"{split}_x"], parts[f"{split}_y"] = np.ascontiguousarray(x), y.astype(np.int64)
        client = parts[f"{split}_client"]
        if client is not None and len(client) != len(y):
            raise ConvertError(f"{args.npz}: {split}: {len(client)} owners for {len(y)} samples")
    labels = np.concatenate([parts["train_y"], parts["test_y"]])
    num_classes = args.num_classes or int(labels.max()) + 1
    if labels.min() < 0 or labels.max() >= num_classes:
        raise ConvertError(f"{args.npz}: labels span [{labels.min()}, {labels.max()}], outside [0, {num_classes})")
    if parts["train_x"].dtype != parts["test_x"].dtype:
        raise ConvertError(f"{args.npz}: train inputs are {parts['train_x'].dtype} but test inputs are "
                           f"{parts['test_x'].dtype}: one x_scale cannot serve both")
    is_bytes = parts["train_x"].dtype == np.uint8
    x_scale = args.x_scale if args.x_scale is not None else (1 / 255 if is_bytes else 1.0)
    name = args.name or os.path.splitext(os.path.basename(args.npz))[0]
    write_dataset(args.out, name=name, num_classes=num_classes, x_scale=x_scale,
                  **{role: parts[role] for role in NAMES})
    print(f"npz_to_hdf5: {len(parts['train_y'])} train and {len(parts['test_y'])} test samples of shape "
          f"{list(parts['train_x'].shape[1:])}, {num_classes} classes -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(run(main))
