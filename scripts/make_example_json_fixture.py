#!/usr/bin/env python3
"""Writes Tests/Fixtures/example_json.json: what protobuf's json_format.MessageToJson writes for
small Example / SequenceExample records of the conformance corpus (run once at development time
with the protobuf that comes with TensorFlow: ~/tfvenv/bin/python scripts/make_example_json_fixture.py).

Each entry: file, record, message ("Example" | "SequenceExample"), payload_b64,
pretty (MessageToJson(sort_keys=True), indent 2) and python (indent=None: ", " and ": ")."""
import base64, json, os, struct, sys
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
from google.protobuf import json_format
from tensorflow.core.example import example_pb2

corpus = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..", "shared", "conformance")
manifest = json.load(open(os.path.join(corpus, "manifest.json")))

def records(path):
    data = open(path, "rb").read()
    pos = 0
    while pos < len(data):
        (length,) = struct.unpack("<Q", data[pos:pos + 8])
        yield data[pos + 12:pos + 12 + length]
        pos += 12 + length + 4

out = []
for f in manifest["files"]:
    if f["compression"] or not ("features" in f or "sequence_examples" in f):
        continue
    message = example_pb2.Example if "features" in f else example_pb2.SequenceExample
    for i, payload in enumerate(records(os.path.join(corpus, f["path"]))):
        if len(payload) > 600:
            continue
        if f["path"].startswith("shards/") and i > 3:
            continue
        m = message.FromString(payload)
        out.append({
            "file": f["path"], "record": i, "message": message.__name__,
            "payload_b64": base64.b64encode(payload).decode(),
            "pretty": json_format.MessageToJson(m, sort_keys=True),
            "python": json_format.MessageToJson(m, sort_keys=True, indent=None),
        })
json.dump(out, open(os.path.join(os.path.dirname(__file__), "..", "Tests", "Fixtures", "example_json.json"), "w"), indent=1)
print(len(out), "records")
