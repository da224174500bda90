#!/usr/bin/env bash
# Installs libjansson-dev (and pkg-config) when pkg-config cannot find jansson.
set -euo pipefail
if command -v pkg-config >/dev/null 2>&1 && pkg-config --exists jansson; then
    exit 0
fi
echo "jansson not found by pkg-config: installing libjansson-dev" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq libjansson-dev pkg-config >/dev/null
pkg-config --exists jansson
