#!/usr/bin/env bash
# Installs the system packages the build, tests and cross-arch checks need (Debian/Ubuntu).
# Safe to run repeatedly: it only calls apt-get when something is missing.
set -euo pipefail
packages=(zlib1g-dev liblz4-dev lz4 libisal-dev libdeflate-dev gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}" >&2
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi
