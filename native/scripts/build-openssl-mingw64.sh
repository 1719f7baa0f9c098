#!/usr/bin/env bash
# Static OpenSSL for windows-x86_64 (mingw64), built from Debian's openssl source package and
# cached by version: ${OTC_CACHE_DIR:-$HOME/.cache/otc-e2ee}/openssl-mingw64-<Debian version>/.
# Prints that directory (the toolchain's OTC_MINGW_OPENSSL_DIR) on stdout; everything else goes to
# stderr. The newest version apt knows whose build is cached is reused as is.
# Needs a deb-src line and dpkg-dev (native/scripts/ensure-cross-deps.sh), and the mingw-w64 POSIX
# compilers.
set -euo pipefail

# Newest first; a version whose source a mirror does not serve (e.g. only on a security mirror that
# is unreachable) is skipped for the next one.
versions=$(apt-cache showsrc openssl 2>/dev/null | sed -n 's/^Version: //p' | sort -rV | uniq)
[ -n "$versions" ] || { echo "otc-e2ee: no openssl source package known to apt (deb-src line? apt-get update?)" >&2; exit 1; }
cache_root=${OTC_CACHE_DIR:-$HOME/.cache/otc-e2ee}
for version in $versions; do
  if [ -f "$cache_root/openssl-mingw64-$version/.complete" ]; then
    echo "otc-e2ee: mingw64 OpenSSL $version from cache $cache_root/openssl-mingw64-$version" >&2
    echo "$cache_root/openssl-mingw64-$version"
    exit 0
  fi
done

mkdir -p "$cache_root"
work=$(mktemp -d "$cache_root/openssl-build.XXXXXX")
trap 'rm -rf "$work"' EXIT
got=""
for version in $versions; do
  if (cd "$work" && apt-get source -qq "openssl=$version" >/dev/null 2>&1); then got=$version; break; fi
  echo "otc-e2ee: source of openssl $version not available, trying an older one" >&2
  rm -rf "${work:?}"/*
done
[ -n "$got" ] || { echo "otc-e2ee: could not fetch any openssl source package ($versions)" >&2; exit 1; }
version=$got
dest="$cache_root/openssl-mingw64-$version"
echo "otc-e2ee: building OpenSSL $version for mingw64 (cached afterwards in $dest)" >&2
(
  cd "$work"/openssl-*/
  # CC is appended to the prefix: x86_64-w64-mingw32-gcc-posix, the compiler the SDK uses too.
  ./Configure mingw64 no-shared no-tests no-module \
    --cross-compile-prefix=x86_64-w64-mingw32- CC=gcc-posix \
    --prefix="$work/install" --libdir=lib >/dev/null
  nice -n 15 make -s -j"$(nproc)" build_libs >/dev/null
  make -s install_dev >/dev/null
) >&2
# Published only when complete; a concurrent build of the same version simply loses the rename.
mkdir -p "$work/install" && touch "$work/install/.complete"
mv -T "$work/install" "$dest" 2>/dev/null || true
[ -f "$dest/.complete" ] || { echo "otc-e2ee: OpenSSL build did not produce $dest" >&2; exit 1; }
echo "$dest"
