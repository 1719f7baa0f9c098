// Test-only C API of otc/testing/sframe.h over the header codec and the suite table the frame
// cryptor uses (src/sframe_header.cpp, src/cipher_suite.cpp): built into the test build of the
// library only (native/CMakeLists.txt, OTC_TESTING_API_SOURCES).
#include "cipher_suite.hpp"
#include "otc/testing/sframe.h"
#include "sframe_header.hpp"

extern "C" size_t otc_sframe_max_overhead(int cipher_suite) {
  const otc::CipherSuite* s = otc::find_cipher_suite(cipher_suite);
  return s != nullptr ? OTC_SFRAME_MAX_HEADER_SIZE + s->tag_len : 0;
}

extern "C" otc_status otc_sframe_header_encode(uint64_t kid, uint64_t ctr, uint8_t* out,
                                               size_t out_capacity, size_t* out_len) {
  if (out == nullptr || out_len == nullptr) return OTC_ERR_INVALID_PARAM;
  std::uint8_t tmp[otc::kMaxHeaderLen];
  const std::size_t n = otc::encode_sframe_header(kid, ctr, tmp);
  if (out_capacity < n) return OTC_ERR_BUFFER_TOO_SMALL;
  for (std::size_t i = 0; i < n; ++i) out[i] = tmp[i];
  *out_len = n;
  return OTC_SUCCESS;
}

extern "C" otc_status otc_sframe_header_decode(const uint8_t* in, size_t in_len, uint64_t* kid,
                                               uint64_t* ctr, size_t* header_len) {
  if (in == nullptr || kid == nullptr || ctr == nullptr || header_len == nullptr) {
    return OTC_ERR_INVALID_PARAM;
  }
  std::uint64_t k = 0;
  std::uint64_t c = 0;
  std::size_t n = 0;
  if (!otc::decode_sframe_header(in, in_len, &k, &c, &n)) return OTC_FRAME_MALFORMED;
  *kid = k;
  *ctr = c;
  *header_len = n;
  return OTC_SUCCESS;
}
