#!/usr/bin/env python3
"""Plots remote.sh's random lookups: records/s against requests in flight at each added RTT, with
the target 0.7 x in-flight / RTT dashed. Usage: remote_plot.py LOOKUPS.tsv OUT.png"""
import sys

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt

rows = {}
for line in open(sys.argv[1]):
    ms, _, inflight, rate, _, _ = line.rstrip("\n").split("\t")
    rows.setdefault(int(ms), []).append((int(inflight), float(rate)))
fig, ax = plt.subplots(figsize=(6, 4), dpi=80)
for ms, points in sorted(rows.items()):
    points.sort()
    xs = [p[0] for p in points]
    line, = ax.plot(xs, [p[1] for p in points], marker="o", label="%d ms added RTT" % ms)
    if ms:
        ax.plot(xs, [0.7 * x / (ms / 1000) for x in xs], linestyle="--", color=line.get_color(), alpha=0.6,
                label="target at %d ms" % ms)
ax.set_xscale("log", base=2)
ax.set_yscale("log")
ax.set_xlabel("requests in flight")
ax.set_ylabel("records/s (1 KiB, CRCs checked)")
ax.set_title("Random lookups from S3 (moto) through the latency proxy")
ax.grid(True, which="both", alpha=0.3)
ax.legend(fontsize=7)
fig.tight_layout()
fig.savefig(sys.argv[2], optimize=True)
