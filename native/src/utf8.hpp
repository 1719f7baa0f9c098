// Strict UTF-8 (RFC 3629) decoding, shared by secret and session-id validation.
#ifndef OTC_SRC_UTF8_HPP
#define OTC_SRC_UTF8_HPP

#include <cstddef>
#include <cstdint>
#include <optional>

namespace otc {

// Number of code points in bytes[0..len) if it is well-formed UTF-8 without U+0000; nullopt for
// overlong forms, surrogates, values above U+10FFFF, stray or missing continuation bytes, or NUL.
std::optional<std::size_t> count_code_points_strict(const std::uint8_t* bytes, std::size_t len);

// A session id as docs/FORMAT.md sec. 1 defines it: 1..1024 bytes of strict UTF-8 without NUL.
bool is_valid_session_id(const char* session_id);

}  // namespace otc

#endif
