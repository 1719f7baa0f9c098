// Filling a caller's size-prefixed struct (config.h, "struct_size"): the ABI-evolution rule for
// structs the library writes, in one place.
#ifndef OTC_SRC_SIZED_STRUCT_HPP
#define OTC_SRC_SIZED_STRUCT_HPP

#include <cstddef>
#include <cstring>

#include "otc/errors.h"

namespace otc {

// Copies `full` (this library's layout) into `out`, writing no more than the out->struct_size bytes
// the caller declared: a program built against an older header, whose struct has fewer members,
// gets the members it knows and nothing past its end; a newer program's extra members keep what
// its initializer put there (zero). struct_size itself is left as the caller set it.
template <typename T>
otc_status fill_sized(const T& full, T* out) noexcept {
  if (out == nullptr) return OTC_ERR_INVALID_PARAM;
  const std::size_t declared = out->struct_size;
  // Forgotten initializer (0) or garbage too small to hold even the size member.
  if (declared < sizeof(out->struct_size)) return OTC_ERR_INVALID_PARAM;
  T copy = full;
  copy.struct_size = declared;
  std::memcpy(static_cast<void*>(out), &copy, declared < sizeof(T) ? declared : sizeof(T));
  return OTC_SUCCESS;
}

}  // namespace otc

#endif
