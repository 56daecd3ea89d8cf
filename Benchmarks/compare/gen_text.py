#!/usr/bin/env python3
"""Writes a plain TFRecord file of compressible, text-like payloads (for compression benchmarks).

Usage: gen_text.py OUT --size BYTES --total-bytes N [--seed S]
Payloads are slices at random offsets of a deterministic 8 MiB text made of words drawn from a
Zipf-like 5,000-word vocabulary with numbers mixed in (gzip -6 compresses it about 3x), so no
two records are equal and deflate's 32 KiB window cannot see across records far apart.
"""
import os, random, sys
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import tensorflow as tf

out = sys.argv[1]
size = int(sys.argv[sys.argv.index("--size") + 1])
total = int(sys.argv[sys.argv.index("--total-bytes") + 1])
seed = int(sys.argv[sys.argv.index("--seed") + 1]) if "--seed" in sys.argv else 1
rng = random.Random(seed)
letters = "etaoinshrdlucmfwypvbgkjqxz"
vocab = ["".join(rng.choice(letters[: 6 + rng.randrange(20)]) for _ in range(1 + int(rng.expovariate(0.3))))
         for _ in range(5000)]
weights = [1.0 / (i + 1) for i in range(len(vocab))]
words = []
n = 0
while n < (8 << 20):
    w = rng.choices(vocab, weights, k=4096)
    for i in range(0, 4096, 37):
        w[i] = str(rng.randrange(1 << 20))
    chunk = " ".join(w) + "\n"
    words.append(chunk)
    n += len(chunk)
text = "".join(words).encode()[: 8 << 20]
count = max(1, total // (size + 16))
with tf.io.TFRecordWriter(out) as writer:
    for _ in range(count):
        start = rng.randrange(len(text) - size)
        writer.write(text[start:start + size])
