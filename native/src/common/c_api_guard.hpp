// Keeps C++ exceptions from crossing the C API: a C caller (or the JVM through JNI) cannot unwind
// them, so each otc_* entry point runs its body through one of these helpers.
#ifndef OTC_SRC_C_API_GUARD_HPP
#define OTC_SRC_C_API_GUARD_HPP

#include <new>
#include <utility>

#include "otc/errors.h"

namespace otc {

template <typename Body>
otc_status guarded(Body&& body) noexcept {
  try {
    return std::forward<Body>(body)();
  } catch (const std::bad_alloc&) {
    return OTC_ERR_NO_MEMORY;
  } catch (...) {
    return OTC_ERR_FATAL;
  }
}

// For entry points that return a value instead of a status (constructors return NULL on failure).
template <typename T, typename Body>
T guarded_or(T on_failure, Body&& body) noexcept {
  try {
    return std::forward<Body>(body)();
  } catch (...) {
    return on_failure;
  }
}

}  // namespace otc

#endif
