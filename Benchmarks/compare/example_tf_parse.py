#!/usr/bin/env python3
"""TensorFlow's Example parsing rate on the files ExampleComparison wrote (same records).

Usage: example_tf_parse.py DIR   (DIR/coco-dram.tfrecord, DIR/small.tfrecord)
Prints Markdown rows: records/s of tf.io.parse_single_example (per record, in a tf.data map,
graph mode, batched afterwards so Python iterates per batch) and of tf.io.parse_example on
batches of 256, with the records already in memory,
and of protobuf's Python Example.FromString (upb) for reference."""
import os, sys, time
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import tensorflow as tf


def spec_for(raw):
    example = tf.train.Example.FromString(raw)
    spec = {}
    for name, feature in example.features.feature.items():
        kind = feature.WhichOneof("kind")
        dtype = {"bytes_list": tf.string, "float_list": tf.float32, "int64_list": tf.int64}[kind]
        spec[name] = tf.io.VarLenFeature(dtype)
    return spec


def best_rate(count, run, seconds=3.0):
    best = float("inf")
    end = time.perf_counter() + seconds
    passes = 0
    while time.perf_counter() < end or passes < 2:
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
        passes += 1
    return count / best


def fmt(v):
    return f"{v / 1e6:.2f}M" if v >= 1e6 else f"{v / 1e3:.1f}k" if v >= 1e3 else f"{v:.0f}"


for name in ("coco-dram", "small"):
    path = os.path.join(sys.argv[1], name + ".tfrecord")
    records = [r.numpy() for r in tf.data.TFRecordDataset(path)]
    spec = spec_for(records[0])
    data = tf.data.Dataset.from_tensor_slices(records).cache()
    for _ in data:  # fill the cache
        pass
    # Batched after parsing, so Python's per-element iteration cost does not hide the parse rate.
    single = data.map(lambda x: tf.io.parse_single_example(x, spec), num_parallel_calls=1).batch(256)
    batched = data.batch(256).map(lambda x: tf.io.parse_example(x, spec), num_parallel_calls=1)

    def drain(ds):
        def run():
            for _ in ds:
                pass
        return run

    def upb():
        for r in records:
            tf.train.Example.FromString(r)

    n = len(records)
    print(f"| {name} | tf.io.parse_single_example (tf.data map, 1 thread, then batch 256) | {fmt(best_rate(n, drain(single)))} |")
    print(f"| {name} | tf.io.parse_example (batches of 256, 1 thread) | {fmt(best_rate(n, drain(batched)))} |")
    print(f"| {name} | Python protobuf Example.FromString | {fmt(best_rate(n, upb))} |")
