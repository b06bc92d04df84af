#!/usr/bin/python3
"""Convert a LEAF data set (FEMNIST, Shakespeare, Sent140, Synthetic) to fedhpc's HDF5 data format.

  /usr/bin/python3 scripts/convert/leaf_to_hdf5.py LEAF_DIR OUT.h5 [--name NAME] [--num-classes C]

LEAF_DIR holds train/ and test/ folders of LEAF's JSON files, each
{"users": [...], "num_samples": [...], "user_data": {user: {"x": [...], "y": [...]}}}.
Every training user becomes a client (ids in the order users first appear, files in name order),
written as /train/client; /test/client too when every test user is a training user (LEAF's
"sample" split), so fedhpc can evaluate each client on its own test data. Inputs:

  numbers (FEMNIST's 784 pixels, Synthetic's 60 features)  float32 as they are (x_scale 1)
  strings (Shakespeare's 80 characters, label a character)  character indices into a vocabulary
                                                            of every character seen (uint8),
                                                            stored as the attribute vocabulary
  lists ending in a string (Sent140's raw tweets)           the text's characters, cut or padded
                                                            (index 0) to --text-length

Inconsistent files (num_samples that disagree with user_data, x and y of different lengths, a
user listed twice or never) stop the conversion with exit status 2, naming the file and user.
Run the result with data.dataset: hdf5, data.path: OUT.h5, data.partition.kind: natural and
data.num_clients set to the number of clients printed.
"""
import argparse
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fedhpc_format import ConvertError, run, write_dataset  # noqa: E402


def read_folder(folder):
    """[(user, x list, y list)] over the folder's JSON files, in file name order."""
    if not os.path.isdir(folder):
        raise ConvertError(f"{folder}: no such folder (expected LEAF_DIR/train and LEAF_DIR/test)")
    files = sorted(f for f in os.listdir(folder) if f.endswith(".json"))
    if not files:
        raise ConvertError(f"{folder}: no .json files")
    users = []
    for name in files:
        path = os.path.join(folder, name)
        try:
            with open(path) as fh:
                blob = json.load(fh)
        except (OSError, ValueError) as e:
            raise ConvertError(f"{path}: not readable JSON: {e}")
        for key in ("users", "num_samples", "user_data"):
            if key not in blob:
                raise ConvertError(f"{path}: has no '{key}' (expected LEAF's users, num_samples, user_data)")
        if len(blob["users"]) != len(blob["num_samples"]):
            raise ConvertError(f"{path}: lists {len(blob['users'])} users but {len(blob['num_samples'])} num_samples")
        if set(blob["users"]) != set(blob["user_data"]):
            missing = sorted(set(blob["users"]) ^ set(blob["user_data"]))
            raise ConvertError(f"{path}: users and user_data disagree on {missing[:3]}")
        for user, count in zip(blob["users"], blob["num_samples"]):
            data = blob["user_data"][user]
            x, y = data.get("x"), data.get("y")
            if x is None or y is None:
                raise ConvertError(f"{path}: user {user}: expected x and y in user_data")
            if len(x) != len(y):
                raise ConvertError(f"{path}: user {user}: {len(x)} inputs but {len(y)} labels")
            if len(y) != count:
                raise ConvertError(f"{path}: user {user}: num_samples says {count}, user_data holds {len(y)}")
            users.append((user, x, y))
    seen = set()
    for user, _, _ in users:
        if user in seen:
            raise ConvertError(f"{folder}: user {user} appears in more than one file")
        seen.add(user)
    return users


def kind_of(sample):
    if isinstance(sample, str):
        return "chars"
    if isinstance(sample, list) and sample and isinstance(sample[-1], str):
        return "text"
    return "numbers"


def encode(users_train, users_test, text_length):
    """x and y arrays for both splits, with the vocabulary for text."""
    first = next((x[0] for _, x, _ in users_train if x), None)
    if first is None:
        raise ConvertError("the training folder holds no samples")
    kind = kind_of(first)
    all_users = users_train + users_test
    if any(kind_of(s) != kind for _, x, _ in all_users for s in x):
        raise ConvertError(f"inputs of different kinds: expected every sample to be {kind}, as the first is")
    if kind == "numbers":
        def xs(users):
            rows = [s for _, x, _ in users for s in x]
            if len({len(r) if isinstance(r, list) else -1 for r in rows}) > 1:
                raise ConvertError("numeric inputs of different lengths (expected one feature count)")
            try:
                return np.asarray(rows, dtype=np.float32)
            except (TypeError, ValueError) as e:
                raise ConvertError(f"numeric inputs that are not lists of numbers: {e}")

        def ys(users):
            try:
                return np.asarray([int(v) for _, _, y in users for v in y], dtype=np.int64)
            except (TypeError, ValueError) as e:
                raise ConvertError(f"labels that are not integers: {e}")
        return xs(users_train), ys(users_train), xs(users_test), ys(users_test), None
    texts = (lambda s: s) if kind == "chars" else (lambda s: s[-1])
    chars = set()
    for _, x, y in all_users:
        for s in x:
            chars.update(texts(s))
        if kind == "chars":
            for v in y:
                chars.update(v)
    # Text: index 0 pads short tweets, so characters start at 1.
    vocab = sorted(chars) if kind == "chars" else ["\0"] + sorted(chars)
    if len(vocab) > 256:
        raise ConvertError(f"{len(vocab)} distinct characters: more than uint8 indices hold")
    index = {c: i for i, c in enumerate(vocab)}

    def xs(users):
        rows = []
        for _, x, _ in users:
            for s in x:
                t = texts(s)
                if kind == "text":
                    t = t[:text_length].ljust(text_length, "\0")
                rows.append([index[c] for c in t])
        lengths = {len(r) for r in rows}
        if len(lengths) > 1:
            raise ConvertError(f"inputs of different lengths {sorted(lengths)[:4]} (expected one sequence length)")
        return np.asarray(rows, dtype=np.uint8)

    def ys(users):
        return np.asarray([index[v] if kind == "chars" else int(v) for _, _, y in users for v in y], dtype=np.int64)
    return xs(users_train), ys(users_train), xs(users_test), ys(users_test), "".join(vocab)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("leaf_dir")
    ap.add_argument("out")
    ap.add_argument("--name", help="the data set's name attribute (default: the folder's name)")
    ap.add_argument("--num-classes", type=int, help="default: the largest label + 1 (text: the vocabulary)")
    ap.add_argument("--text-length", type=int, default=80, help="Sent140-style inputs: characters kept")
    args = ap.parse_args()
    train = read_folder(os.path.join(args.leaf_dir, "train"))
    test = read_folder(os.path.join(args.leaf_dir, "test"))
    train_x, train_y, test_x, test_y, vocab = encode(train, test, args.text_length)
    ids = {user: i for i, (user, _, _) in enumerate(train)}
    train_client = np.asarray([ids[u] for u, _, y in train for _ in y], dtype=np.int64)
    test_client = None
    if all(u in ids for u, _, _ in test):
        test_client = np.asarray([ids[u] for u, _, y in test for _ in y], dtype=np.int64)
    else:
        print("leaf_to_hdf5: note: some test users have no training data (a user split): no /test/client written")
    labels = np.concatenate([train_y, test_y])
    num_classes = args.num_classes or (len(vocab) if vocab and vocab[0] != "\0" else int(labels.max()) + 1)
    if labels.min() < 0 or labels.max() >= num_classes:
        raise ConvertError(f"labels span [{labels.min()}, {labels.max()}], outside [0, {num_classes}) (--num-classes)")
    # Text keeps index 0 for padding: the attribute lists the characters from index 1 on.
    attrs = {"vocabulary": vocab.replace("\0", "")} if vocab else {}
    name = args.name or os.path.basename(os.path.normpath(args.leaf_dir))
    write_dataset(args.out, name=name, num_classes=num_classes, train_x=train_x, train_y=train_y, test_x=test_x,
                  test_y=test_y, train_client=train_client, test_client=test_client, attrs=attrs)
    print(f"leaf_to_hdf5: {len(train)} clients, {len(train_y)} train and {len(test_y)} test samples, {num_classes} "
          f"classes -> {args.out} (data.num_clients: {len(train)})")
    return 0


if __name__ == "__main__":
    sys.exit(run(main))
