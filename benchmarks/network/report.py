#!/usr/bin/python3
"""The table and plot of benchmarks/network/run.sh's measurements.

    benchmarks/network/report.py results/network

Reads measurements.csv (cross_reduce_bench -c rows) and quickstart.csv, writes
calibration.csv (each profile's fitted latency and bandwidth, the worst
relative error of the cost model's prediction), table.md and network.png.
Exits 1 when a profile's prediction is off by more than 25% at any size.
"""
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

COLUMNS = ["profile", "bytes", "measured_s", "memcpy_s", "latency_s", "bandwidth_mbps", "predicted_s", "error"]
NOMINAL = {"none": ("-", "-"), "ib_hdr": ("1 us", "veth"), "eth_10g": ("20 us", "10 Gb/s"),
           "eth_1g": ("100 us", "1 Gb/s"), "wan": ("20 ms", "100 Mb/s")}
TOLERANCE = 0.25


def calibrate(m, q):
    rows = []
    for profile, g in m.groupby("profile", sort=False):
        share = q[(q["profile"] == profile) & (q["round"] > 1)]["comm_share"]
        delay, rate = NOMINAL.get(profile, ("?", "?"))
        rows.append({"profile": profile, "nominal_delay": delay, "nominal_rate": rate,
                     "latency_s": g["latency_s"].iloc[0], "bandwidth_mbps": g["bandwidth_mbps"].iloc[0],
                     "worst_error": g["error"].abs().max(), "sizes": len(g),
                     "quickstart_comm_share": share.median() if len(share) else float("nan")})
    return pd.DataFrame(rows)


def table(cal, m):
    lines = ["| profile | nominal delay | nominal rate | fitted latency | fitted bandwidth | worst error "
             "| 1 MB measured / predicted | 100 MB measured / predicted | quickstart comm share |",
             "|---|---|---|---|---|---|---|---|---|"]
    for _, c in cal.iterrows():
        g = m[m["profile"] == c["profile"]].set_index("bytes")

        def pair(b):
            return f"{g.loc[b, 'measured_s']:.4f} / {g.loc[b, 'predicted_s']:.4f} s" if b in g.index else "-"
        lines.append(f"| {c['profile']} | {c['nominal_delay']} | {c['nominal_rate']} | {1e3 * c['latency_s']:.2f} ms "
                     f"| {c['bandwidth_mbps']:.0f} Mb/s | {100 * c['worst_error']:.1f}% | {pair(1e6)} | {pair(1e8)} "
                     f"| {100 * c['quickstart_comm_share']:.1f}% |")
    return "\n".join(lines) + "\n"


def plot(m, path):
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for profile, g in m.groupby("profile", sort=False):
        line, = ax.plot(g["bytes"] / 1e6, g["measured_s"], "o", label=f"{profile} measured")
        ax.plot(g["bytes"] / 1e6, g["predicted_s"], "-", color=line.get_color(), label=f"{profile} cost model")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("accumulator (MB)")
    ax.set_ylabel("cross-node reduce (s)")
    ax.set_title("Cross-node reduce, 2 hosts x 1 rank: measured and the fitted cost model")
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    fig.tight_layout()
    fig.savefig(path, dpi=120)


def main(argv):
    if len(argv) != 1:
        sys.exit(__doc__)
    out = argv[0]
    m = pd.read_csv(f"{out}/measurements.csv", names=COLUMNS)
    q = pd.read_csv(f"{out}/quickstart.csv")
    cal = calibrate(m, q)
    cal.to_csv(f"{out}/calibration.csv", index=False)
    with open(f"{out}/table.md", "w") as f:
        f.write(table(cal, m))
    plot(m, f"{out}/network.png")
    print(table(cal, m))
    bad = cal[cal["worst_error"] > TOLERANCE]
    for _, c in bad.iterrows():
        print(f"{c['profile']}: the cost model is off by {100 * c['worst_error']:.1f}% (> {100 * TOLERANCE:.0f}%)")
    return 1 if len(bad) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
