// The `stderr` of the libopus archive we link (src/media/CMakeLists.txt renames its one reference to
// libc's stderr to this name, because that archive is not position-independent). Hidden, and set
// from libc's stderr when the library loads, before any Opus call; libopus only uses it to print
// an internal assertion failure before abort().
#include <cstdio>

extern "C" {
__attribute__((visibility("hidden"))) std::FILE* otc_media_libopus_stderr = stderr;
}
