#!/usr/bin/env bash
# The main job: builds the `tfrecord` tool, writes a small dataset, then counts, verifies and
# reads it back. Installs what it needs.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build -c release --product tfrecord >&2
bin=.build/release/tfrecord
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$work/sample.tfrecord" <<'PY'
import struct, sys
# A tiny writer for the demo only (the library has the real one): TFRecord framing with masked CRC32C.
def crc32c(data):
    crc = 0xffffffff
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    return crc ^ 0xffffffff
def masked(c):
    return ((((c >> 15) | (c << 17)) & 0xffffffff) + 0xa282ead8) & 0xffffffff
with open(sys.argv[1], "wb") as f:
    for i in range(100):
        payload = ("record %d" % i).encode()
        header = struct.pack("<Q", len(payload))
        f.write(header + struct.pack("<I", masked(crc32c(header))) + payload + struct.pack("<I", masked(crc32c(payload))))
PY
echo "== tfrecord count"
$bin count "$work/sample.tfrecord"
echo "== tfrecord cat --format hex (first 3)"
$bin cat --format hex "$work/sample.tfrecord" | head -3
