// What the raw test APIs (otc_aead_open, otc_sframe_unprotect) return for an AEAD open.
#ifndef OTC_TESTING_SRC_OPEN_STATUS_HPP
#define OTC_TESTING_SRC_OPEN_STATUS_HPP

#include <cstddef>

#include "aead.hpp"
#include "otc/errors.h"

namespace otc {

// OTC_SUCCESS with *out_len = plaintext_len, OTC_FRAME_AUTHENTICATION_FAILED, or OTC_ERR_FATAL for
// an engine failure.
inline otc_status open_status(OpenResult result, std::size_t plaintext_len, std::size_t* out_len) {
  switch (result) {
    case OpenResult::kOk:
      *out_len = plaintext_len;
      return OTC_SUCCESS;
    case OpenResult::kAuthenticationFailed:
      return OTC_FRAME_AUTHENTICATION_FAILED;
    case OpenResult::kEngineError:
      break;
  }
  return OTC_ERR_FATAL;
}

}  // namespace otc

#endif
