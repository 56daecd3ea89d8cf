#!/usr/bin/env python3
"""Times TensorFlow's TFRecordWriter writing the records of a plain TFRecord file compressed.

Usage: tf_write.py IN OUT [GZIP|ZLIB] [--level N] [--runs N]
Prints: tensorflow-write <tab> MB/s of uncompressed input <tab> seconds (best run) <tab> output
bytes <tab> CPU seconds of the process during the write loop (best run).
The records are loaded into memory first; the clock covers writer creation to close; OUT is
removed before each run, outside the clock.
"""
import os, struct, sys, time
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import tensorflow as tf

src, out = sys.argv[1], sys.argv[2]
comp = sys.argv[3] if len(sys.argv) > 3 and not sys.argv[3].startswith("--") else "GZIP"
level = int(sys.argv[sys.argv.index("--level") + 1]) if "--level" in sys.argv else None
runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 1
def load(path):
    """The payloads of the plain TFRecord file at path (framing parsed here: iterating a
    TFRecordDataset eagerly takes minutes for millions of small records; CRCs are not checked,
    the file was made by this benchmark)."""
    data = open(path, "rb").read()
    out, pos = [], 0
    while pos < len(data):
        (length,) = struct.unpack_from("<Q", data, pos)
        out.append(data[pos + 12:pos + 12 + length])
        pos += length + 16
    return out

records = load(src)
total = sum(len(r) + 16 for r in records)
opts = tf.io.TFRecordOptions(compression_type=comp, compression_level=level)
best = float("inf")
best_cpu = float("inf")
for _ in range(runs):
    if os.path.exists(out):
        os.unlink(out)  # a fresh file each run (ext4 flushes a file truncated and rewritten at close)
    t = time.perf_counter()
    c = time.process_time()
    with tf.io.TFRecordWriter(out, opts) as w:
        for r in records:
            w.write(r)
    best = min(best, time.perf_counter() - t)
    best_cpu = min(best_cpu, time.process_time() - c)
print("tensorflow-write\t%.1f MB/s\t%.3f s\t%d bytes\t%.2f cpu-s" % (total / best / 1e6, best, os.path.getsize(out), best_cpu))
