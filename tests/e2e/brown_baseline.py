#!/usr/bin/python3
"""Checks a Brown next-character run against the most-frequent-character guess.

  brown_baseline.py RESULTS.h5

Rebuilds the run's test set from the corpus on its own (tags stripped, documents in name order,
80-character windows every data.brown.stride characters, the last fifth of each document for
testing), checks that fedhpc found as many samples, and that the final test accuracy beats always
answering the test set's most frequent character. Exit 1 when it does not."""
import collections
import os
import re
import sys

import h5py

SEQUENCE = 80


def document_text(path):
    words = []
    with open(path, "rb") as f:
        for token in f.read().decode("ascii").split():
            slash = token.rfind("/")
            words.append(token[:slash] if slash > 0 else token)
    return " ".join(words)


def main():
    with h5py.File(sys.argv[1], "r") as f:
        data = f.attrs["data"]
        config = f.attrs["config_yaml"]
        accuracy = float(f["rounds"]["test_accuracy"][-1])
    folder = re.match(r"brown (.+?): ", data).group(1)  # the path may hold spaces
    stride = int(re.search(r"\bstride: (\d+)", config).group(1))
    names = sorted(n for n in os.listdir(folder) if re.fullmatch(r"c[a-r]\d\d", n))
    train = test = 0
    labels = collections.Counter()
    for name in names:
        text = document_text(os.path.join(folder, name))
        cut = len(text) * 4 // 5
        for target in range(SEQUENCE, len(text), stride):
            if target < cut:
                train += 1
            else:
                test += 1
                labels[text[target]] += 1
    expected = f"{train} training and {test} test samples"
    if expected not in data:
        print(f"FAIL: the corpus gives {expected}; fedhpc recorded: {data}")
        return 1
    char, count = labels.most_common(1)[0]
    share = count / test
    verdict = "beats" if accuracy > share else "does not beat"
    print(f"final test accuracy {accuracy:.4f} {verdict} always guessing {char!r} ({share:.4f} of {test} test samples)")
    return 0 if accuracy > share else 1


if __name__ == "__main__":
    sys.exit(main())
