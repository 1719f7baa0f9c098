// Parameters of the five RFC 9605 cipher suites (docs/FORMAT.md sec. 4 table).
#ifndef OTC_SRC_CIPHER_SUITE_HPP
#define OTC_SRC_CIPHER_SUITE_HPP

#include <cstddef>
#include <cstdint>

namespace otc {

enum class HashAlg { kSha256, kSha512 };

struct CipherSuite {
  std::uint16_t id;
  const char* name;
  HashAlg hash;
  std::size_t key_len;   // Nk: sframe_key length (CTR-HMAC: 16-byte enc key || 32-byte auth key)
  std::size_t nonce_len; // Nn
  std::size_t tag_len;   // Nt
  bool gcm;
};

constexpr std::size_t kNonceLen = 12;
constexpr std::size_t kCtrHmacEncKeyLen = 16;
constexpr std::size_t kCtrHmacAuthKeyLen = 32;
constexpr std::size_t kMaxSframeKeyLen = 48;

// NULL for an id that is not one of the five suites.
const CipherSuite* find_cipher_suite(int id);

std::size_t hash_len(HashAlg hash);
const char* hash_name(HashAlg hash);

}  // namespace otc

#endif
