// EVP update functions take int lengths; these feed larger buffers in pieces so that no size_t
// length is ever truncated.
#ifndef OTC_SRC_EVP_CHUNKS_HPP
#define OTC_SRC_EVP_CHUNKS_HPP

#include <openssl/evp.h>

#include <cstddef>
#include <cstdint>

namespace otc {

constexpr std::size_t kEvpChunk = std::size_t{1} << 30;

// out == NULL feeds AAD (GCM); otherwise out receives len bytes.
inline bool cipher_update(EVP_CIPHER_CTX* ctx, std::uint8_t* out, const std::uint8_t* in,
                          std::size_t len) {
  while (len > 0) {
    const std::size_t n = len < kEvpChunk ? len : kEvpChunk;
    int out_len = 0;
    if (EVP_CipherUpdate(ctx, out, &out_len, in, static_cast<int>(n)) != 1) return false;
    if (out != nullptr) {
      if (static_cast<std::size_t>(out_len) != n) return false;
      out += n;
    }
    in += n;
    len -= n;
  }
  return true;
}

}  // namespace otc

#endif
