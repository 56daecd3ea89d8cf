#!/usr/bin/env python3
"""TensorFlow's side of the data-path rows (issue 17), on the files ExampleComparison wrote.

Usage: data_path_tf.py DIR
- parse: tf.io.parse_example on batches of 256 of DIR/small.tfrecord and DIR/coco-dram.tfrecord
  (records already in memory, one thread: num_parallel_calls=1, every feature of the first
  record as VarLenFeature — the spec ExampleComparison's batched parse uses); prints
  `TF_PARSE <set> <records/s>`.
- loader: tf.data.TFRecordDataset(DIR/shards/*, GZIP).shuffle(10000).batch(256)
  .map(parse_example, AUTOTUNE).prefetch(AUTOTUNE), one epoch, timed until the last batch
  arrives; prints `TF_LOADER <records/s> <peak RSS MiB> <records>` (peak RSS: ru_maxrss of this
  process after the epoch, which includes TensorFlow itself)."""
import glob, os, resource, sys, time
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import tensorflow as tf

out = sys.argv[1]
mode = sys.argv[2] if len(sys.argv) > 2 else "parse"


def spec_for(raw):
    example = tf.train.Example.FromString(raw)
    spec = {}
    for name, feature in example.features.feature.items():
        kind = feature.WhichOneof("kind")
        spec[name] = tf.io.VarLenFeature({"bytes_list": tf.string, "float_list": tf.float32, "int64_list": tf.int64}[kind])
    return spec


if mode == "parse":
    for name in ("small", "coco-dram"):
        records = [r.numpy() for r in tf.data.TFRecordDataset(os.path.join(out, name + ".tfrecord"))]
        spec = spec_for(records[0])
        data = tf.data.Dataset.from_tensor_slices(records).cache()
        for _ in data:
            pass
        batched = data.batch(256).map(lambda x: tf.io.parse_example(x, spec), num_parallel_calls=1)
        best = float("inf")
        end = time.perf_counter() + 3
        passes = 0
        while time.perf_counter() < end or passes < 2:
            start = time.perf_counter()
            for _ in batched:
                pass
            best = min(best, time.perf_counter() - start)
            passes += 1
        print(f"TF_PARSE {name} {len(records) / best}")
else:
    files = sorted(glob.glob(os.path.join(out, "shards", "*.tfrecord*")))
    files = [f for f in files if not f.endswith(".tfindex")]
    first = next(iter(tf.data.TFRecordDataset(files[:1], compression_type="GZIP"))).numpy()
    spec = spec_for(first)
    ds = (tf.data.TFRecordDataset(files, compression_type="GZIP").shuffle(10000, seed=1).batch(256)
          .map(lambda x: tf.io.parse_example(x, spec), num_parallel_calls=tf.data.AUTOTUNE).prefetch(tf.data.AUTOTUNE))
    start = time.perf_counter()
    n = 0
    for batch in ds:
        n += int(batch[next(iter(spec))].dense_shape[0])
    elapsed = time.perf_counter() - start
    print(f"TF_LOADER {n / elapsed} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024} {n}")
