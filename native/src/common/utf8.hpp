// The project's one UTF-8 (RFC 3629) validator: secrets, session ids, names and signals given to
// the C API, and every `str` field of the router protocol go through it.
#ifndef OTC_SRC_UTF8_HPP
#define OTC_SRC_UTF8_HPP

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace otc {

// Number of code points in bytes[0..len) if it is well-formed UTF-8 without U+0000; nullopt for
// overlong forms, surrogates, values above U+10FFFF, stray or missing continuation bytes, or NUL.
std::optional<std::size_t> count_code_points_strict(const std::uint8_t* bytes, std::size_t len);

// Well-formed UTF-8 (no overlongs, surrogates or values above U+10FFFF); unlike the strict count
// above, U+0000 is allowed, as the router protocol's `str` allows it (docs/PROTOCOL.md sec. 1;
// callers that hand the string to C as NUL-terminated reject it separately).
bool is_valid_utf8(const std::uint8_t* bytes, std::size_t len);
inline bool is_valid_utf8(std::string_view s) {
  return is_valid_utf8(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
}

// A NUL-terminated text from the C API (names, tokens, signal types and data): at most max_bytes
// bytes of well-formed UTF-8, non-empty unless allow_empty. The scan stops after max_bytes + 1
// bytes, so an overlong or unterminated input is refused without reading far past the limit.
bool is_valid_c_text(const char* s, std::size_t max_bytes, bool allow_empty = true);

// A session id as docs/FORMAT.md sec. 1 defines it: 1..1024 bytes of strict UTF-8 without NUL.
bool is_valid_session_id(const char* session_id);

}  // namespace otc

#endif
