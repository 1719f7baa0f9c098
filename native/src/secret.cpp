#include "otc/secret.h"

#include "utf8.hpp"

extern "C" otc_status otc_encryption_secret_validate(const uint8_t* utf8, size_t len) {
  if (utf8 == nullptr) return OTC_SESSION_INVALID_ENCRYPTION_SECRET;
  // The byte bound avoids decoding megabytes an attacker-controlled caller might pass.
  if (len > OTC_ENCRYPTION_SECRET_MAX_BYTES) return OTC_SESSION_INVALID_ENCRYPTION_SECRET;
  const auto count = otc::count_code_points_strict(utf8, len);
  if (!count || *count < OTC_ENCRYPTION_SECRET_MIN_CHARS || *count > OTC_ENCRYPTION_SECRET_MAX_CHARS) {
    return OTC_SESSION_INVALID_ENCRYPTION_SECRET;
  }
  return OTC_SUCCESS;
}
