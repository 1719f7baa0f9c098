#!/usr/bin/env bash
# Makes sure the Debian packages the native build needs are present, before CMake runs.
#
# A fresh machine of the supported kind (Debian 12 with JDK 17, Maven, g++, cmake, libssl-dev) lacks
# the header-only and test libraries below. As root this installs them (apt-get); as anyone else it
# stops at once with one line naming the exact command to run. Maven runs it in the native module's
# `validate` phase, so both README commands work on such a machine with no other step.
# OTC_SKIP_DEPS_CHECK=1 skips it (e.g. on a distribution without dpkg, with the libraries installed
# by other means).
set -euo pipefail

packages=(
  g++ cmake make libssl-dev  # compiler, build, static libcrypto/libssl
  libasio-dev                # the session client's networking (standalone Asio)
  nlohmann-json3-dev         # test-vector parsing in the native tests
  libgtest-dev googletest    # native unit tests (CTest)
  libvpx-dev libopenh264-dev libopus-dev libyuv-dev  # media codecs, linked statically (src/media/)
)
# Intel ipsec-mb, the AES-GCM engine on x86_64 (static libIPSec_MB.a; the package exists for amd64 only).
if [ "$(dpkg --print-architecture 2>/dev/null)" = "amd64" ]; then
  packages+=(libipsec-mb-dev)
fi

[ "${OTC_SKIP_DEPS_CHECK:-0}" = "1" ] && exit 0
if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "otc-e2ee: no dpkg-query here; install the equivalents of: ${packages[*]} (then set OTC_SKIP_DEPS_CHECK=1)" >&2
  exit 0
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "otc-e2ee: missing build packages; run: sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi

echo "otc-e2ee: installing build packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# A stale or empty package list makes apt-get install fail with 'Unable to locate package'.
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "otc-e2ee: installed ${missing[*]}"
