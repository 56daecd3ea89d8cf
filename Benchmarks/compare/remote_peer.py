#!/usr/bin/env python3
"""The peers of Benchmarks/compare/remote.sh: boto3's transfer manager (the AWS CLI's) against
the same moto server, timed in this process.

Usage: remote_peer.py ENDPOINT COMMAND BUCKET [ARGS]
  bucket                    create BUCKET (idempotent)
  upload KEY FILE           upload_file (multipart, 8 MiB parts, 10 threads: boto3's defaults);
                            prints "<bytes> <seconds>"
  download PREFIX           download_fileobj of every object under PREFIX, one after another, into
                            a sink that drops the bytes; prints "<bytes> <seconds> <objects>"
  download-to PREFIX DIR    download_file of every object under PREFIX into DIR; prints seconds
  keys PREFIX               the keys under PREFIX, one per line
"""
import os
import sys
import time

import boto3
from boto3.s3.transfer import TransferConfig


class Null:
    def __init__(self):
        self.bytes = 0

    def write(self, data):
        self.bytes += len(data)
        return len(data)


def main():
    endpoint, command, bucket = sys.argv[1:4]
    args = sys.argv[4:]
    s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                      aws_access_key_id="testing", aws_secret_access_key="testing")
    config = TransferConfig()  # boto3's defaults: 8 MiB parts, 10 threads

    def keys(prefix):
        out = []
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
            out += [(o["Key"], o["Size"]) for o in page.get("Contents", [])]
        return out

    if command == "bucket":
        try:
            s3.create_bucket(Bucket=bucket)
        except s3.exceptions.BucketAlreadyOwnedByYou:
            pass
    elif command == "upload":
        key, path = args
        start = time.perf_counter()
        s3.upload_file(path, bucket, key, Config=config)
        print(os.path.getsize(path), time.perf_counter() - start)
    elif command == "download":
        objects = [k for k in keys(args[0]) if not k[0].endswith(".tfindex")]
        sink = Null()
        start = time.perf_counter()
        for key, _ in objects:
            s3.download_fileobj(bucket, key, sink, Config=config)
        print(sink.bytes, time.perf_counter() - start, len(objects))
    elif command == "download-to":
        prefix, folder = args
        start = time.perf_counter()
        for key, _ in keys(prefix):
            s3.download_file(bucket, key, os.path.join(folder, key[len(prefix):]), Config=config)
        print(time.perf_counter() - start)
    elif command == "keys":
        print("\n".join(k for k, _ in keys(args[0])))
    else:
        sys.exit("unknown command " + command)


if __name__ == "__main__":
    main()
