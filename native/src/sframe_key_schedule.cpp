#include "sframe_key_schedule.hpp"

#include <cstring>

#include "hkdf.hpp"
#include "secure_bytes.hpp"

namespace otc {

namespace {

constexpr char kKeyLabel[] = "SFrame 1.0 Secret key ";
constexpr char kSaltLabel[] = "SFrame 1.0 Secret salt ";

// label || BE64(KID) || BE16(cs), the HKDF info of both expansions.
std::size_t make_info(const char* label, std::size_t label_len, std::uint64_t kid,
                      std::uint16_t suite_id, std::uint8_t* out) {
  std::memcpy(out, label, label_len);
  for (int i = 0; i < 8; ++i) out[label_len + i] = static_cast<std::uint8_t>(kid >> (56 - 8 * i));
  out[label_len + 8] = static_cast<std::uint8_t>(suite_id >> 8);
  out[label_len + 9] = static_cast<std::uint8_t>(suite_id);
  return label_len + 10;
}

}  // namespace

bool derive_sframe_key_and_salt(const CipherSuite& suite, std::uint64_t kid,
                                const std::uint8_t* base_key, std::size_t base_key_len,
                                std::uint8_t* key_out, std::uint8_t* salt_out) {
  SecureBytes<64> secret;
  if (!hkdf_extract(suite.hash, nullptr, 0, base_key, base_key_len, secret.data())) return false;
  const std::size_t secret_len = hash_len(suite.hash);
  std::uint8_t info[sizeof kSaltLabel + 10];
  std::size_t info_len = make_info(kKeyLabel, sizeof kKeyLabel - 1, kid, suite.id, info);
  if (!hkdf_expand(suite.hash, secret.data(), secret_len, info, info_len, key_out, suite.key_len)) {
    return false;
  }
  info_len = make_info(kSaltLabel, sizeof kSaltLabel - 1, kid, suite.id, info);
  return hkdf_expand(suite.hash, secret.data(), secret_len, info, info_len, salt_out,
                     suite.nonce_len);
}

}  // namespace otc
