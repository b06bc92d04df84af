"""Writing fedhpc's data format (docs/data_format.md): one HDF5 file per data set.

Shared by the converters in this folder; runs under Debian's /usr/bin/python3 (h5py, numpy).
"""
import sys

import h5py
import numpy as np


class ConvertError(Exception):
    """Bad input: the converter prints it and exits with status 2."""


def write_dataset(out, *, name, num_classes, train_x, train_y, test_x, test_y, x_scale=1.0,
                  train_client=None, test_client=None, attrs=None):
    """Writes the splits; x is uint8 or float32 (N x ...), y int64 in [0, num_classes)."""
    with h5py.File(out, "w") as f:
        f.attrs["name"] = name
        f.attrs["num_classes"] = np.int64(num_classes)
        f.attrs["x_scale"] = np.float64(x_scale)
        for key, value in (attrs or {}).items():
            f.attrs[key] = value
        for split, x, y, client in (("train", train_x, train_y, train_client), ("test", test_x, test_y, test_client)):
            group = f.create_group(split)
            x = np.asarray(x)
            if x.dtype != np.uint8:
                x = x.astype(np.float32)
            group.create_dataset("x", data=x, compression="gzip", compression_opts=1, shuffle=True)
            group.create_dataset("y", data=np.asarray(y, dtype=np.int64))
            if client is not None:
                group.create_dataset("client", data=np.asarray(client, dtype=np.int64))


def run(main):
    """Calls main(); a ConvertError is one line on stderr and exit status 2."""
    try:
        return main()
    except ConvertError as e:
        print(f"{sys.argv[0]}: {e}", file=sys.stderr)
        return 2
