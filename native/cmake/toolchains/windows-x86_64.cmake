# Cross build for windows-x86_64 on a Debian host with mingw-w64, POSIX threads flavour
# (g++-mingw-w64-x86-64-posix: std::thread and std::mutex through winpthreads, which Asio and the
# core use). OpenSSL is a static mingw64 build from Debian's openssl source package, made and
# cached by native/scripts/build-openssl-mingw64.sh (OTC_MINGW_OPENSSL_DIR). Tests run under wine64.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR AMD64)
set(CMAKE_C_COMPILER x86_64-w64-mingw32-gcc-posix)
set(CMAKE_CXX_COMPILER x86_64-w64-mingw32-g++-posix)
set(CMAKE_RC_COMPILER x86_64-w64-mingw32-windres)

if(NOT OTC_MINGW_OPENSSL_DIR)
  set(OTC_MINGW_OPENSSL_DIR "$ENV{OTC_MINGW_OPENSSL_DIR}")
endif()
if(NOT OTC_MINGW_OPENSSL_DIR)
  message(FATAL_ERROR "OTC_MINGW_OPENSSL_DIR is not set: run native/scripts/build-openssl-mingw64.sh (it prints the directory)")
endif()
set(OTC_MINGW_OPENSSL_DIR "${OTC_MINGW_OPENSSL_DIR}" CACHE PATH "Static OpenSSL built for mingw64")
# Variables the try_compile projects must see too.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES OTC_MINGW_OPENSSL_DIR)

# Only the mingw sysroot and the mingw OpenSSL: the host's /usr/include holds glibc headers that
# must never reach this compiler.
set(CMAKE_FIND_ROOT_PATH /usr/x86_64-w64-mingw32 "${OTC_MINGW_OPENSSL_DIR}")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
set(OPENSSL_ROOT_DIR "${OTC_MINGW_OPENSSL_DIR}")

# Header-only host libraries (Asio, nlohmann-json) and GoogleTest built from source, through a
# directory that holds only them (see host-headers.cmake).
include(${CMAKE_CURRENT_LIST_DIR}/host-headers.cmake)

# libgcc, libstdc++ and winpthread linked in: the DLLs and test programs then import only
# Windows' own DLLs (KERNEL32, msvcrt, WS2_32, ...), checked by cmake/CheckExportsPe.cmake.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static")
set(CMAKE_SHARED_LINKER_FLAGS_INIT "-static")

# wine64 runs the test programs; its prefix is created on first use (WINEPREFIX, see the preset).
find_program(OTC_WINE64 NAMES wine64 PATHS /usr/lib/wine NO_CMAKE_FIND_ROOT_PATH)
if(OTC_WINE64)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${OTC_WINE64})
endif()
