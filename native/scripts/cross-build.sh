#!/usr/bin/env bash
# Cross-builds or tests the native core for one platform through its CMake preset
# (native/CMakePresets.json: cross-linux-arm64, cross-windows-x86_64):
#   cross-build.sh <linux-arm64|windows-x86_64> build   configure + build (libotc staged in
#                                                       native/target/cross-<platform>/lib)
#   cross-build.sh <linux-arm64|windows-x86_64> test    CTest, the binaries run under qemu-aarch64
#                                                       or wine64 (CMAKE_CROSSCOMPILING_EMULATOR)
# Maven's `cross` profile (OTC_CROSS=1) calls it; the Windows build first gets the mingw64 OpenSSL
# from the cache (or builds it once, build-openssl-mingw64.sh).
set -euo pipefail
platform=$1 step=$2
cd "$(dirname "$0")/.."
preset=cross-$platform

case $platform in
  linux-arm64) ;;
  windows-x86_64)
    OTC_MINGW_OPENSSL_DIR=$(bash scripts/build-openssl-mingw64.sh)
    export OTC_MINGW_OPENSSL_DIR ;;
  *) echo "cross-build.sh: unknown platform $platform" >&2; exit 2 ;;
esac

case $step in
  build)
    cmake --preset "$preset" >/dev/null
    cmake --build --preset "$preset" ;;
  test)
    if [ "$platform" = windows-x86_64 ]; then
      # Create the wine prefix (the preset's WINEPREFIX) before CTest starts tests in parallel:
      # two wine64 processes creating it at once make the first test fail.
      export WINEPREFIX="$PWD/target/wine-prefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
      /usr/lib/wine/wine64 wineboot --init >/dev/null 2>&1
      /usr/lib/wine/wineserver -w
    fi
    # OTC_CROSS_CTEST_ARGS narrows the run (e.g. -R vectors), for a developer; CI runs them all.
    # shellcheck disable=SC2086
    ctest --preset "$preset" ${OTC_CROSS_CTEST_ARGS:-} ;;
  *) echo "cross-build.sh: unknown step $step" >&2; exit 2 ;;
esac
