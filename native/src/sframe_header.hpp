// SFrame header (RFC 9605 sec. 4.3): config byte X|KKK|Y|CCC, then the KID and CTR bytes when they
// do not fit in three bits.
#ifndef OTC_SRC_SFRAME_HEADER_HPP
#define OTC_SRC_SFRAME_HEADER_HPP

#include <cstddef>
#include <cstdint>

namespace otc {

constexpr std::size_t kMaxHeaderLen = 17;

// Writes the shortest encoding into out[0..17) and returns its length (1..17).
std::size_t encode_sframe_header(std::uint64_t kid, std::uint64_t ctr, std::uint8_t* out);

// Parses a header at the start of in[0..len); false when the config byte announces more bytes
// than len holds.
bool decode_sframe_header(const std::uint8_t* in, std::size_t len, std::uint64_t* kid,
                          std::uint64_t* ctr, std::size_t* header_len);

}  // namespace otc

#endif
