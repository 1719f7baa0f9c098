// otc_build_platform: the target of this compilation, named as JavaCPP names platforms, so that a
// Java caller can compare it with the natives jar it loaded (docs/ARCHITECTURE.md, packaging).
#include "otc/capabilities.h"

namespace {

constexpr const char* kBuildPlatform =
#if defined(__linux__) && defined(__x86_64__)
    "linux-x86_64";
#elif defined(__linux__) && defined(__aarch64__)
    "linux-arm64";
#elif defined(_WIN32) && (defined(_M_X64) || defined(__x86_64__))
    "windows-x86_64";
#elif defined(__APPLE__) && defined(__x86_64__)
    "macosx-x86_64";
#elif defined(__APPLE__) && defined(__aarch64__)
    "macosx-arm64";
#else
    "unknown";
#endif

}  // namespace

extern "C" const char* otc_build_platform(void) { return kBuildPlatform; }
