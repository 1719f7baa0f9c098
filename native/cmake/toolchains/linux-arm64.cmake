# Cross build for linux-arm64 (aarch64) on a Debian x86_64 host, with Debian's cross compilers
# (gcc-aarch64-linux-gnu, g++-aarch64-linux-gnu) and arm64 multiarch packages (libssl-dev:arm64,
# libgtest-dev:arm64); native/scripts/ensure-cross-deps.sh installs them. The cross compilers
# already search /usr/include/aarch64-linux-gnu and /usr/include, so header-only libraries
# (Asio, nlohmann-json) are shared with the host. Tests run under qemu-aarch64 (qemu-user).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)

# Multiarch: find_library looks in <prefix>/lib/aarch64-linux-gnu, never in the host's x86_64 dir.
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)
# FindOpenSSL asks pkg-config first; the host's .pc files would point it at x86_64 libcrypto.a.
set(ENV{PKG_CONFIG_LIBDIR} /usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig)
set(ENV{PKG_CONFIG_PATH} "")

# CTest runs every test binary through user-mode QEMU; -L points it at the arm64 loader and libc
# of the cross toolchain (libc6-arm64-cross). LD_LIBRARY_PATH keeps that loader on that libc: the
# host's /etc/ld.so.cache also lists the multiarch libc6:arm64 (pulled in by libssl3:arm64), a
# different build of glibc 2.36, and a loader with a foreign libc.so.6 spins forever in the first
# pthread_create (seen: every threaded test hung until CTest's timeout).
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64 -L /usr/aarch64-linux-gnu -E LD_LIBRARY_PATH=/usr/aarch64-linux-gnu/lib)
