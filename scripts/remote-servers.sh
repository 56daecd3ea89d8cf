#!/usr/bin/env bash
# Starts or stops the real peers of the remote tests, on 127.0.0.1 only:
#   moto_server (the S3 API), nginx serving a folder over HTTP and over TLS (a self-signed
#   certificate made here by openssl), and one fault-injecting proxy (scripts/fault_proxy.py) in
#   front of moto and one in front of nginx's HTTP port.
# Usage: scripts/remote-servers.sh start|stop|env
#   start writes $STATE/env.sh with the addresses (TFRECORD_TEST_*) and prints its path; idempotent
#   (a running set is stopped first). Installs moto[server]/flask-cors (pip) and nginx (apt-get) if missing.
# STATE defaults to /tmp/tfrecord-remote-servers; the served folder is $STATE/www, holding a link to
# the conformance corpus (../shared/conformance or $TFRECORD_CONFORMANCE) and a writable scratch/.
set -euo pipefail
cd "$(dirname "$0")/.."
STATE=${TFRECORD_REMOTE_STATE:-/tmp/tfrecord-remote-servers}
CORPUS=${TFRECORD_CONFORMANCE:-$(cd .. && pwd)/shared/conformance}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

wait_for_port() {  # port, name, pid
  for _ in $(seq 1 150); do
    if python3 -c "import socket,sys; s=socket.create_connection(('127.0.0.1',$1),0.2); s.close()" 2>/dev/null; then return 0; fi
    kill -0 "$3" 2>/dev/null || { echo "remote-servers: $2 exited; see $STATE/$2.log" >&2; tail -20 "$STATE/$2.log" >&2 || true; return 1; }
    sleep 0.1
  done
  echo "remote-servers: $2 did not listen on 127.0.0.1:$1 within 15 s" >&2
  return 1
}

install_deps() {
  if ! python3 -c 'import moto, flask, flask_cors, boto3' 2>/dev/null || ! command -v moto_server >/dev/null; then
    python3 -m pip install --quiet 'moto[server]' flask-cors boto3
  fi
  if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx >/dev/null
  fi
  command -v openssl >/dev/null || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssl >/dev/null; }
}

stop() {
  [ -d "$STATE" ] || return 0
  if [ -f "$STATE/nginx.pid" ]; then
    nginx -p "$STATE" -c "$STATE/nginx.conf" -s quit 2>/dev/null || kill "$(cat "$STATE/nginx.pid")" 2>/dev/null || true
  fi
  for name in moto proxy-s3 proxy-http; do
    if [ -f "$STATE/$name.pid" ]; then
      pid=$(cat "$STATE/$name.pid")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
      rm -f "$STATE/$name.pid"
    fi
  done
  rm -f "$STATE/nginx.pid" "$STATE/env.sh"
}

start() {
  install_deps
  PATH=$PATH:/usr/sbin
  stop
  mkdir -p "$STATE/www/scratch" "$STATE/tmp"
  [ -d "$CORPUS" ] || { echo "remote-servers: no conformance corpus at $CORPUS" >&2; exit 1; }
  ln -sfn "$CORPUS" "$STATE/www/conformance"

  local moto_port http_port https_port
  moto_port=$(free_port)
  setsid moto_server -H 127.0.0.1 -p "$moto_port" >"$STATE/moto.log" 2>&1 < /dev/null &
  echo $! >"$STATE/moto.pid"

  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=127.0.0.1" \
    -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
    -keyout "$STATE/key.pem" -out "$STATE/cert.pem" >/dev/null 2>&1
  http_port=$(free_port)
  https_port=$(free_port)
  cat >"$STATE/nginx.conf" <<CONF
user root;
worker_processes 1;
pid $STATE/nginx.pid;
error_log $STATE/nginx-error.log;
events { worker_connections 256; }
http {
  access_log $STATE/nginx-access.log;
  client_body_temp_path $STATE/tmp/body;
  proxy_temp_path $STATE/tmp/proxy;
  fastcgi_temp_path $STATE/tmp/fastcgi;
  uwsgi_temp_path $STATE/tmp/uwsgi;
  scgi_temp_path $STATE/tmp/scgi;
  types { application/octet-stream tfrecord; }
  default_type application/octet-stream;
  sendfile on;
  server {
    listen 127.0.0.1:$http_port;
    root $STATE/www;
  }
  server {
    listen 127.0.0.1:$https_port ssl;
    ssl_certificate $STATE/cert.pem;
    ssl_certificate_key $STATE/key.pem;
    root $STATE/www;
  }
}
CONF
  nginx -p "$STATE" -c "$STATE/nginx.conf"
  wait_for_port "$moto_port" moto "$(cat "$STATE/moto.pid")"
  wait_for_port "$http_port" nginx "$(cat "$STATE/nginx.pid")"

  for pair in "s3:$moto_port" "http:$http_port"; do
    name=${pair%%:*}; port=${pair##*:}
    rm -f "$STATE/proxy-$name.ports"
    setsid python3 scripts/fault_proxy.py --upstream-port "$port" --port-file "$STATE/proxy-$name.ports" \
      >"$STATE/proxy-$name.log" 2>&1 < /dev/null &
    echo $! >"$STATE/proxy-$name.pid"
    for _ in $(seq 1 100); do [ -f "$STATE/proxy-$name.ports" ] && break; sleep 0.1; done
    [ -f "$STATE/proxy-$name.ports" ] || { echo "remote-servers: fault proxy for $name did not start" >&2; cat "$STATE/proxy-$name.log" >&2; exit 1; }
  done
  read -r s3_proxy s3_control <"$STATE/proxy-s3.ports"
  read -r http_proxy http_control <"$STATE/proxy-http.ports"

  cat >"$STATE/env.sh" <<ENV
export TFRECORD_TEST_S3_ENDPOINT=http://127.0.0.1:$moto_port
export TFRECORD_TEST_S3_PROXY_ENDPOINT=http://127.0.0.1:$s3_proxy
export TFRECORD_TEST_S3_FAULTS=http://127.0.0.1:$s3_control
export TFRECORD_TEST_HTTP_URL=http://127.0.0.1:$http_port
export TFRECORD_TEST_HTTPS_URL=https://127.0.0.1:$https_port
export TFRECORD_TEST_HTTP_PROXY_URL=http://127.0.0.1:$http_proxy
export TFRECORD_TEST_HTTP_FAULTS=http://127.0.0.1:$http_control
export TFRECORD_TEST_CA_FILE=$STATE/cert.pem
export TFRECORD_TEST_WWW=$STATE/www
export TFRECORD_TEST_CORPUS=$CORPUS
ENV
  echo "$STATE/env.sh"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  env) cat "$STATE/env.sh" ;;
  *) echo "usage: $0 start|stop|env" >&2; exit 2 ;;
esac
