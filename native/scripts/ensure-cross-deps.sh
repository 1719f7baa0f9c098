#!/usr/bin/env bash
# Installs the Debian packages the cross-platform build needs (profile `cross`, OTC_CROSS=1):
#   linux-arm64     gcc/g++ cross compilers, arm64 multiarch static OpenSSL and GoogleTest, qemu-user
#   windows-x86_64  mingw-w64 (POSIX threads flavour), wine64 to run the tests, and what
#                   `apt-get source openssl` needs (a deb-src line, dpkg-dev) for the mingw OpenSSL
# Never needed for the demo or the host build. As root it installs what is missing; as anyone else
# it stops at once with one line naming the exact commands. OTC_SKIP_DEPS_CHECK=1 skips it.
set -euo pipefail

[ "${OTC_SKIP_DEPS_CHECK:-0}" = "1" ] && exit 0
command -v dpkg-query >/dev/null 2>&1 || { echo "otc-e2ee: cross build needs Debian (dpkg); set OTC_SKIP_DEPS_CHECK=1 if installed otherwise" >&2; exit 1; }

packages=(
  gcc-aarch64-linux-gnu g++-aarch64-linux-gnu   # linux-arm64 compilers
  libssl-dev:arm64 libgtest-dev:arm64           # static libcrypto/libssl and GoogleTest for arm64
  qemu-user                                     # runs the arm64 tests (qemu-aarch64)
  g++-mingw-w64-x86-64-posix                    # windows-x86_64 compilers (POSIX threads)
  wine64                                        # runs the Windows tests
  dpkg-dev                                      # apt-get source (the OpenSSL built for mingw64)
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
need_arch=0; dpkg --print-foreign-architectures | grep -qx arm64 || need_arch=1
need_src=0; grep -rqs '^Types:.*deb-src\|^deb-src ' /etc/apt/sources.list /etc/apt/sources.list.d/ || need_src=1
[ ${#missing[@]} -eq 0 ] && [ $need_arch -eq 0 ] && [ $need_src -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "otc-e2ee: cross build needs packages; run: sudo dpkg --add-architecture arm64 && (add a deb-src line for bookworm) && sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi

[ $need_arch -eq 1 ] && dpkg --add-architecture arm64
if [ $need_src -eq 1 ]; then
  # Same mirror and suites as the binary packages, for source packages only.
  . /etc/os-release
  # (deb822 with the same Signed-By as Debian's own entry: apt refuses two values for one source.)
  cat > /etc/apt/sources.list.d/otc-e2ee-deb-src.sources <<SRC
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: ${VERSION_CODENAME} ${VERSION_CODENAME}-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: ${VERSION_CODENAME}-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
fi
echo "otc-e2ee: installing cross build packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Other builds on the machine may hold the dpkg lock for a while: wait instead of failing.
apt-get -o DPkg::Lock::Timeout=900 update -qq
if [ ${#missing[@]} -gt 0 ]; then apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; fi
echo "otc-e2ee: cross build packages present"
