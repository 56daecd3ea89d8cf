#!/usr/bin/env python3
"""Times TensorFlow's TFRecordWriter writing the records of a plain TFRecord file compressed.

Usage: tf_write.py IN OUT [GZIP|ZLIB] [--level N] [--runs N]
Prints: tensorflow-write <tab> MB/s of uncompressed input <tab> seconds (best run) <tab> output bytes.
The records are loaded into memory first; the clock covers writer creation to close.
"""
import os, sys, time
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import tensorflow as tf

src, out = sys.argv[1], sys.argv[2]
comp = sys.argv[3] if len(sys.argv) > 3 and not sys.argv[3].startswith("--") else "GZIP"
level = int(sys.argv[sys.argv.index("--level") + 1]) if "--level" in sys.argv else None
runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 1
records = [r.numpy() for r in tf.data.TFRecordDataset(src)]
total = sum(len(r) + 16 for r in records)
opts = tf.io.TFRecordOptions(compression_type=comp, compression_level=level)
best = float("inf")
for _ in range(runs):
    t = time.perf_counter()
    with tf.io.TFRecordWriter(out, opts) as w:
        for r in records:
            w.write(r)
    best = min(best, time.perf_counter() - t)
print("tensorflow-write\t%.1f MB/s\t%.3f s\t%d bytes" % (total / best / 1e6, best, os.path.getsize(out)))
