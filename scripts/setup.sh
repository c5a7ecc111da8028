#!/bin/sh
# Installs the Debian packages ombc needs to build and test, and nothing else.
# Idempotent and quiet: when every package is present it prints nothing.
#   sh scripts/setup.sh         what `make build` and `make check` need
#   sh scripts/setup.sh fuzz    and also clang with libFuzzer (`make fuzz`)
#   sh scripts/setup.sh valgrind  and also valgrind (`make valgrind`)
set -eu

# The JDK and HdrHistogram's Java library are the reference the histogram
# tests check ombc's encodings against; headless Chromium renders the HTML
# report of `ombc chart` in tests/integration/test_chart_render.c.
# libmicrohttpd serves `ombc run --metrics-port`; Prometheus's promtool checks
# what it serves in tests/integration/test_metrics.c.
PACKAGES="build-essential cmake pkg-config librdkafka-dev libyaml-dev libcjson-dev \
zlib1g-dev libcmocka-dev openjdk-17-jdk-headless libhdrhistogram-java chromium \
libmicrohttpd-dev prometheus"
for group in "$@"; do
    case "$group" in
    fuzz) PACKAGES="$PACKAGES clang libclang-rt-14-dev" ;;
    valgrind) PACKAGES="$PACKAGES valgrind" ;;
    *) echo "setup: unknown package group '$group'" >&2; exit 2 ;;
    esac
done

missing=""
for p in $PACKAGES; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "setup: need root or sudo to install:$missing" >&2; exit 1; }
    SUDO="sudo"
fi
echo "setup: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
