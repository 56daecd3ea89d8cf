#!/usr/bin/env python3
"""A fault-injecting HTTP/1.1 proxy for the remote tests, between our client and a loopback server.

Listens on 127.0.0.1 only and forwards only to a 127.0.0.1 upstream. Every request is forwarded
with `Connection: close` (one request per connection keeps the framing trivial); a control port takes
a queue of faults, each applied to the next request whose request line contains its `match` text:

  POST /faults   body: JSON list of {"kind": K, "match": TEXT, ...}
     kind "slowdown"     answer 503 with an S3 SlowDown error document, nothing forwarded
     kind "error500"     answer 500 InternalError, nothing forwarded
     kind "reset"        forward, then reset the connection (RST) after "after" bytes of the body
     kind "truncate"     forward, then close cleanly (FIN) after "after" bytes of the body
     kind "drop"         read the request, then reset the connection (RST) without forwarding it
                         (an upload's part lost mid-request; the answer's body may be empty, so
                         "reset" cannot hit it)
     kind "latency"      wait "ms" milliseconds (at most 10,000) before forwarding
     kind "stall"        send the answer's head, then nothing for "ms" milliseconds (at most 120,000), then close
     kind "ignore-range" drop the request's Range header (the server answers 200 with the whole object)
     kind "shift-range"  forward, but rewrite the answer's Content-Range to start one byte later (a lying server)
  GET  /stats    JSON {"requests": N, "applied": {kind: N}, "applied_by_match": {match: N}, "pending": N}
  POST /clear    empties the queue and the counters
  POST /latency  body: {"ms": N} added to every request (at most 1,000), for round-trip benchmarks

Bounded: it exits after --max-seconds (default 3600) and serves at most --max-connections.
"""
import argparse
import asyncio
import json
import socket
import struct
import sys
import time

SLOWDOWN = (b'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SlowDown</Code>'
            b'<Message>Please reduce your request rate.</Message></Error>')
INTERNAL = (b'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>InternalError</Code>'
            b'<Message>We encountered an internal error. Please try again.</Message></Error>')
MAX_HEAD = 64 * 1024
MAX_REQUEST_BODY = 64 * 1024 * 1024


class State:
    def __init__(self):
        self.faults = []
        self.requests = 0
        self.applied = {}
        self.applied_by_match = {}
        self.latency_ms = 0
        self.connections = 0

    def take(self, request_line):
        for index, fault in enumerate(self.faults):
            if fault.get("match", "") in request_line:
                del self.faults[index]
                self.applied[fault["kind"]] = self.applied.get(fault["kind"], 0) + 1
                match = fault.get("match", "")
                self.applied_by_match[match] = self.applied_by_match.get(match, 0) + 1
                return fault
        return None


STATE = State()


async def read_head(reader):
    head = await reader.readuntil(b"\r\n\r\n")
    if len(head) > MAX_HEAD:
        raise ValueError("head too large")
    return head


def parse_headers(head):
    lines = head.decode("latin-1").split("\r\n")
    first = lines[0]
    headers = []
    for line in lines[1:]:
        if not line:
            continue
        name, _, value = line.partition(":")
        headers.append((name.strip(), value.strip()))
    return first, headers


def shift_content_range(head):
    lines = head.decode("latin-1").split("\r\n")
    for index, line in enumerate(lines):
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-range":
            unit, _, spec = value.strip().partition(" ")
            span, _, total = spec.partition("/")
            first, _, last = span.partition("-")
            lines[index] = f"Content-Range: {unit} {int(first) + 1}-{last}/{total}"
    return "\r\n".join(lines).encode("latin-1")


def reset(writer):
    sock = writer.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


async def handle_client(reader, writer, upstream_port, max_connections):
    STATE.connections += 1
    if STATE.connections > max_connections:
        writer.close()
        return
    upstream_writer = None
    try:
        head = await asyncio.wait_for(read_head(reader), 30)
        first, headers = parse_headers(head)
        length = 0
        for name, value in headers:
            if name.lower() == "content-length":
                length = int(value)
        if length < 0 or length > MAX_REQUEST_BODY:
            raise ValueError("request body too large")
        body = await reader.readexactly(length) if length else b""
        STATE.requests += 1
        fault = STATE.take(first)
        kind = fault["kind"] if fault else None
        if STATE.latency_ms:
            await asyncio.sleep(STATE.latency_ms / 1000)
        if kind == "drop":
            reset(writer)
            return
        if kind in ("slowdown", "error500"):
            status, payload = (b"503 Slow Down", SLOWDOWN) if kind == "slowdown" else (b"500 Internal Server Error", INTERNAL)
            writer.write(b"HTTP/1.1 " + status + b"\r\nContent-Type: application/xml\r\nContent-Length: "
                         + str(len(payload)).encode() + b"\r\nConnection: close\r\n\r\n" + payload)
            await writer.drain()
            writer.close()
            return
        if kind == "latency":
            await asyncio.sleep(min(int(fault.get("ms", 100)), 10_000) / 1000)
        kept = [(n, v) for n, v in headers if n.lower() not in ("connection", "keep-alive")]
        if kind == "ignore-range":
            kept = [(n, v) for n, v in kept if n.lower() != "range"]
        request = first + "\r\n" + "".join(f"{n}: {v}\r\n" for n, v in kept) + "Connection: close\r\n\r\n"
        upstream_reader, upstream_writer = await asyncio.open_connection("127.0.0.1", upstream_port)
        upstream_writer.write(request.encode("latin-1") + body)
        await upstream_writer.drain()
        response_head = await asyncio.wait_for(read_head(upstream_reader), 60)
        if kind == "shift-range":
            response_head = shift_content_range(response_head)
        writer.write(response_head)
        await writer.drain()
        if kind == "stall":
            await asyncio.sleep(min(int(fault.get("ms", 5000)), 120_000) / 1000)
            writer.close()
            return
        limit = int(fault.get("after", 0)) if kind in ("reset", "truncate") else None
        sent = 0
        while True:
            chunk = await asyncio.wait_for(upstream_reader.read(65536), 60)
            if not chunk:
                break
            if limit is not None and sent + len(chunk) >= limit:
                writer.write(chunk[: limit - sent])
                await writer.drain()
                if kind == "reset":
                    reset(writer)
                else:
                    writer.close()
                return
            writer.write(chunk)
            sent += len(chunk)
            await writer.drain()
        writer.close()
    except (ConnectionError, asyncio.IncompleteReadError, asyncio.TimeoutError, ValueError, asyncio.LimitOverrunError):
        writer.transport.abort()
    finally:
        if upstream_writer is not None:
            upstream_writer.transport.abort()


async def handle_control(reader, writer):
    try:
        head = await asyncio.wait_for(read_head(reader), 10)
        first, headers = parse_headers(head)
        length = 0
        for name, value in headers:
            if name.lower() == "content-length":
                length = min(int(value), 1 << 20)
        body = await reader.readexactly(length) if length else b""
        method, path = first.split(" ")[:2]
        if method == "POST" and path == "/faults":
            faults = json.loads(body or b"[]")
            if not isinstance(faults, list) or len(faults) > 10_000:
                raise ValueError("expected a list of faults")
            for fault in faults:
                if fault.get("kind") not in ("slowdown", "error500", "reset", "truncate", "drop", "latency", "stall", "ignore-range", "shift-range"):
                    raise ValueError(f"unknown fault {fault!r}")
            STATE.faults.extend(faults)
            answer = {"pending": len(STATE.faults)}
        elif method == "GET" and path == "/stats":
            answer = {"requests": STATE.requests, "applied": STATE.applied,
                      "applied_by_match": STATE.applied_by_match, "pending": len(STATE.faults)}
        elif method == "POST" and path == "/clear":
            STATE.faults.clear()
            STATE.applied.clear()
            STATE.applied_by_match.clear()
            STATE.requests = 0
            answer = {}
        elif method == "POST" and path == "/latency":
            STATE.latency_ms = max(0, min(int(json.loads(body)["ms"]), 1000))
            answer = {"ms": STATE.latency_ms}
        else:
            raise ValueError("unknown control request")
        payload = json.dumps(answer).encode()
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                     + str(len(payload)).encode() + b"\r\nConnection: close\r\n\r\n" + payload)
    except Exception as error:  # a bad control request gets a 400, the proxy keeps running
        payload = str(error).encode()
        writer.write(b"HTTP/1.1 400 Bad Request\r\nContent-Length: " + str(len(payload)).encode()
                     + b"\r\nConnection: close\r\n\r\n" + payload)
    await writer.drain()
    writer.close()


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--upstream-port", type=int, required=True)
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--max-seconds", type=int, default=3600)
    parser.add_argument("--max-connections", type=int, default=1_000_000)
    args = parser.parse_args()
    proxy = await asyncio.start_server(
        lambda r, w: handle_client(r, w, args.upstream_port, args.max_connections), "127.0.0.1", 0)
    control = await asyncio.start_server(handle_control, "127.0.0.1", 0)
    ports = (proxy.sockets[0].getsockname()[1], control.sockets[0].getsockname()[1])
    with open(args.port_file + ".tmp", "w") as handle:
        handle.write(f"{ports[0]} {ports[1]}\n")
    import os
    os.replace(args.port_file + ".tmp", args.port_file)
    deadline = time.monotonic() + args.max_seconds
    async with proxy, control:
        while time.monotonic() < deadline:
            await asyncio.sleep(1)


if __name__ == "__main__":
    asyncio.run(main())
