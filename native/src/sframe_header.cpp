#include "sframe_header.hpp"

namespace otc {

namespace {

std::size_t min_bytes(std::uint64_t v) {
  std::size_t n = 1;
  while (n < 8 && (v >> (8 * n)) != 0) ++n;
  return n;
}

void put_be(std::uint64_t v, std::size_t n, std::uint8_t* out) {
  for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<std::uint8_t>(v >> (8 * (n - 1 - i)));
}

std::uint64_t get_be(const std::uint8_t* in, std::size_t n) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < n; ++i) v = (v << 8) | in[i];
  return v;
}

}  // namespace

std::size_t encode_sframe_header(std::uint64_t kid, std::uint64_t ctr, std::uint8_t* out) {
  std::size_t pos = 1;
  std::uint8_t config = 0;
  if (kid < 8) {
    config |= static_cast<std::uint8_t>(kid << 4);
  } else {
    const std::size_t n = min_bytes(kid);
    config |= static_cast<std::uint8_t>(0x80u | ((n - 1) << 4));
    put_be(kid, n, out + pos);
    pos += n;
  }
  if (ctr < 8) {
    config |= static_cast<std::uint8_t>(ctr);
  } else {
    const std::size_t n = min_bytes(ctr);
    config |= static_cast<std::uint8_t>(0x08u | (n - 1));
    put_be(ctr, n, out + pos);
    pos += n;
  }
  out[0] = config;
  return pos;
}

bool decode_sframe_header(const std::uint8_t* in, std::size_t len, std::uint64_t* kid,
                          std::uint64_t* ctr, std::size_t* header_len) {
  if (in == nullptr || len < 1) return false;
  const std::uint8_t config = in[0];
  const bool kid_extended = (config & 0x80u) != 0;
  const bool ctr_extended = (config & 0x08u) != 0;
  const std::size_t k = (config >> 4) & 0x07u;
  const std::size_t c = config & 0x07u;
  const std::size_t kid_bytes = kid_extended ? k + 1 : 0;
  const std::size_t ctr_bytes = ctr_extended ? c + 1 : 0;
  const std::size_t total = 1 + kid_bytes + ctr_bytes;
  if (len < total) return false;
  *kid = kid_extended ? get_be(in + 1, kid_bytes) : k;
  *ctr = ctr_extended ? get_be(in + 1 + kid_bytes, ctr_bytes) : c;
  *header_len = total;
  return true;
}

}  // namespace otc
