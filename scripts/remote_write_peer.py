#!/usr/bin/env python3
"""boto3 side of scripts/remote_write_cli.sh (the independent client that checks our uploads).

Usage: remote_write_peer.py ENDPOINT COMMAND BUCKET [ARGS]
  bucket                       create BUCKET (idempotent)
  download PREFIX DIR          download every object under PREFIX into DIR (names without the prefix)
  list PREFIX                  print the keys under PREFIX, one per line
  uploads                      print the keys of pending multipart uploads, one per line
  wait-upload PREFIX SECONDS   wait until a multipart upload under PREFIX is in progress (exit 1 if none)
  watch PREFIX PID             list PREFIX every 20 ms while process PID runs; fail if a listing ever
                               shows a sidecar (*.tfindex) without its shard; prints listings made
  abort-all                    abort every pending upload (what the bucket's lifecycle rule would do)
"""
import os
import sys
import time

import boto3


def client(endpoint):
    return boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                        aws_access_key_id="testing", aws_secret_access_key="testing")


def keys(s3, bucket, prefix):
    out = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        out += [o["Key"] for o in page.get("Contents", [])]
    return out


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (finished, not yet reaped by the shell) counts as finished.
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def main():
    endpoint, command, bucket = sys.argv[1:4]
    args = sys.argv[4:]
    s3 = client(endpoint)
    if command == "bucket":
        try:
            s3.create_bucket(Bucket=bucket)
        except s3.exceptions.BucketAlreadyOwnedByYou:
            pass
    elif command == "download":
        prefix, folder = args
        os.makedirs(folder, exist_ok=True)
        for key in keys(s3, bucket, prefix):
            s3.download_file(bucket, key, os.path.join(folder, key[len(prefix):]))
    elif command == "list":
        print("\n".join(keys(s3, bucket, args[0])))
    elif command == "uploads":
        print("\n".join(u["Key"] for u in s3.list_multipart_uploads(Bucket=bucket).get("Uploads", [])))
    elif command == "wait-upload":
        prefix, seconds = args[0], float(args[1])
        deadline = time.time() + seconds
        while time.time() < deadline:
            uploads = s3.list_multipart_uploads(Bucket=bucket, Prefix=prefix).get("Uploads", [])
            if uploads:
                print(uploads[0]["Key"])
                return
            time.sleep(0.02)
        sys.exit("no multipart upload under %s within %s s" % (prefix, seconds))
    elif command == "watch":
        prefix, pid = args[0], int(args[1])
        listings, sidecars_seen = 0, 0
        while True:
            running = alive(pid)
            present = set(keys(s3, bucket, prefix))
            listings += 1
            for key in present:
                if key.endswith(".tfindex"):
                    sidecars_seen += 1
                    if key[: -len(".tfindex")] not in present:
                        sys.exit("sidecar %s listed without its shard" % key)
            if not running:
                break
            time.sleep(0.02)
        print("%d listings, %d sidecar sightings, each with its shard" % (listings, sidecars_seen))
    elif command == "abort-all":
        for u in s3.list_multipart_uploads(Bucket=bucket).get("Uploads", []):
            s3.abort_multipart_upload(Bucket=bucket, Key=u["Key"], UploadId=u["UploadId"])
    else:
        sys.exit("unknown command " + command)


if __name__ == "__main__":
    main()
