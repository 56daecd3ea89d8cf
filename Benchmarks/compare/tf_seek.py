#!/usr/bin/env python3
"""Times TensorFlow reaching record i of a compressed file (it must inflate everything before it).

Usage: tf_seek.py FILE GZIP|ZLIB [--samples N]
Prints: tensorflow-seek <tab> p50 ms over N random records (uniform over the file).
"""
import os, random, sys, time
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import tensorflow as tf

path, comp = sys.argv[1], sys.argv[2]
samples = int(sys.argv[sys.argv.index("--samples") + 1]) if "--samples" in sys.argv else 7
count = int(tf.data.TFRecordDataset(path, comp).reduce(tf.constant(0, tf.int64), lambda a, _: a + 1))
rng = random.Random(1)
times = []
for _ in range(samples):
    i = rng.randrange(count)
    t = time.perf_counter()
    for r in tf.data.TFRecordDataset(path, comp).skip(i).take(1):
        r.numpy()
    times.append(time.perf_counter() - t)
times.sort()
print("tensorflow-seek\tp50 %.1f ms\t(%d records, %d samples)" % (times[len(times) // 2] * 1000, count, samples))
