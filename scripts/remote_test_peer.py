#!/usr/bin/env python3
"""The independent peer of the remote Swift tests: botocore signs, boto3 uploads and downloads.

Reads one JSON request on stdin, writes one JSON answer on stdout. Commands:
  {"command": "sign", "cases": [...]}      botocore's S3SigV4Auth Authorization header for each case
        (method, url, headers, body_hex, access_key, secret_key, token, region, timestamp, unsigned_payload)
        and botocore's own URL for an S3 operation when "operation" is given (to compare key encoding)
  {"command": "create_bucket", "endpoint", "bucket"}
  {"command": "put_files", "endpoint", "bucket", "files": {key: local path}}     boto3 upload_file (its transfer manager)
  {"command": "put_bytes", "endpoint", "bucket", "key", "hex"}
  {"command": "get", "endpoint", "bucket", "key"}          -> {"sha256", "size", "etag"} via boto3 download_fileobj
  {"command": "exists", "endpoint", "bucket", "key"}       -> {"exists": bool}
  {"command": "uploads", "endpoint", "bucket"}             -> {"keys": [pending multipart upload keys]}
Only loopback endpoints are accepted.
"""
import datetime
import hashlib
import io
import json
import sys
from unittest import mock

import boto3
import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials


def client(endpoint):
    if not endpoint.startswith(("http://127.0.0.1:", "http://localhost:")):
        raise SystemExit("only loopback endpoints")
    return boto3.client(
        "s3", endpoint_url=endpoint, region_name="us-east-1",
        aws_access_key_id="testing", aws_secret_access_key="testing",
        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}))


def botocore_url(case):
    """The URL botocore itself builds for an S3 operation (never sent)."""
    operation = case["operation"]
    s3 = boto3.client(
        "s3", endpoint_url=case["endpoint"], region_name=case["region"],
        aws_access_key_id=case["access_key"], aws_secret_access_key=case["secret_key"],
        config=Config(s3={"addressing_style": "path"}))
    captured = {}

    class Captured(Exception):
        pass

    def capture(request, **kwargs):
        captured["url"] = request.url
        raise Captured()

    s3.meta.events.register("before-send.s3", capture)
    try:
        getattr(s3, operation)(**case["params"])
    except Captured:
        pass
    return captured["url"]


def sign(case):
    credentials = Credentials(case["access_key"], case["secret_key"], case.get("token"))
    auth = botocore.auth.S3SigV4Auth(credentials, "s3", case["region"])
    body = bytes.fromhex(case.get("body_hex", ""))
    request = AWSRequest(method=case["method"], url=case["url"], headers=dict(case["headers"]), data=body)
    if case.get("unsigned_payload"):
        config = Config(s3={"payload_signing_enabled": False})
        request.context["client_config"] = config
    when = datetime.datetime.strptime(case["timestamp"], "%Y%m%dT%H%M%SZ").replace(tzinfo=datetime.timezone.utc)
    with mock.patch("botocore.auth.get_current_datetime", return_value=when):
        auth.add_auth(request)
    authorization = request.headers["Authorization"]
    del request.headers["Authorization"]
    answer = {"authorization": authorization, "canonical_request": auth.canonical_request(request)}
    if "operation" in case:
        answer["botocore_url"] = botocore_url(case)
    return answer


def main():
    request = json.load(sys.stdin)
    command = request["command"]
    if command == "sign":
        answer = {"results": [sign(case) for case in request["cases"]]}
    elif command == "create_bucket":
        s3 = client(request["endpoint"])
        try:
            s3.create_bucket(Bucket=request["bucket"])
        except s3.exceptions.BucketAlreadyOwnedByYou:
            pass
        answer = {}
    elif command == "put_files":
        s3 = client(request["endpoint"])
        for key, path in request["files"].items():
            s3.upload_file(path, request["bucket"], key)
        answer = {"count": len(request["files"])}
    elif command == "put_bytes":
        s3 = client(request["endpoint"])
        result = s3.put_object(Bucket=request["bucket"], Key=request["key"], Body=bytes.fromhex(request["hex"]))
        answer = {"etag": result["ETag"]}
    elif command == "get":
        s3 = client(request["endpoint"])
        buffer = io.BytesIO()
        s3.download_fileobj(request["bucket"], request["key"], buffer)
        data = buffer.getvalue()
        head = s3.head_object(Bucket=request["bucket"], Key=request["key"])
        answer = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data), "etag": head["ETag"]}
    elif command == "exists":
        s3 = client(request["endpoint"])
        try:
            s3.head_object(Bucket=request["bucket"], Key=request["key"])
            answer = {"exists": True}
        except s3.exceptions.ClientError:
            answer = {"exists": False}
    elif command == "uploads":
        s3 = client(request["endpoint"])
        result = s3.list_multipart_uploads(Bucket=request["bucket"])
        answer = {"keys": [upload["Key"] for upload in result.get("Uploads", [])]}
    else:
        raise SystemExit(f"unknown command {command}")
    json.dump(answer, sys.stdout)


if __name__ == "__main__":
    main()
