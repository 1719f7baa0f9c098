#include "utf8.hpp"

#include <cstring>

#include "otc/frame_cryptor.h"

namespace otc {

namespace {

std::optional<std::size_t> count_code_points(const std::uint8_t* bytes, std::size_t len, bool allow_nul) {
  if (bytes == nullptr && len != 0) return std::nullopt;
  std::size_t count = 0;
  std::size_t i = 0;
  while (i < len) {
    const std::uint8_t b0 = bytes[i];
    std::size_t extra;
    std::uint32_t cp;
    // Lead bytes C0, C1 and F5..FF can only start overlong or out-of-range sequences.
    if (b0 < 0x80) {
      if (b0 == 0 && !allow_nul) return std::nullopt;
      extra = 0;
      cp = b0;
    } else if (b0 >= 0xC2 && b0 <= 0xDF) {
      extra = 1;
      cp = b0 & 0x1Fu;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
      extra = 2;
      cp = b0 & 0x0Fu;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
      extra = 3;
      cp = b0 & 0x07u;
    } else {
      return std::nullopt;
    }
    if (len - i - 1 < extra) return std::nullopt;
    for (std::size_t k = 1; k <= extra; ++k) {
      const std::uint8_t b = bytes[i + k];
      if ((b & 0xC0u) != 0x80u) return std::nullopt;
      cp = (cp << 6) | (b & 0x3Fu);
    }
    // The minimum per length rejects overlongs that the lead-byte ranges above still admit
    // (E0 80..9F, F0 80..8F).
    if (extra == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) return std::nullopt;
    if (extra == 3 && (cp < 0x10000 || cp > 0x10FFFF)) return std::nullopt;
    i += extra + 1;
    ++count;
  }
  return count;
}

}  // namespace

std::optional<std::size_t> count_code_points_strict(const std::uint8_t* bytes, std::size_t len) {
  return count_code_points(bytes, len, false);
}

bool is_valid_utf8(const std::uint8_t* bytes, std::size_t len) {
  return count_code_points(bytes, len, true).has_value();
}

bool is_valid_c_text(const char* s, std::size_t max_bytes, bool allow_empty) {
  if (s == nullptr) return false;
  const std::size_t len = strnlen(s, max_bytes + 1);
  if (len > max_bytes || (len == 0 && !allow_empty)) return false;
  return is_valid_utf8(reinterpret_cast<const std::uint8_t*>(s), len);
}

bool is_valid_session_id(const char* session_id) {
  return is_valid_c_text(session_id, OTC_SESSION_ID_MAX_BYTES, false);
}

}  // namespace otc
