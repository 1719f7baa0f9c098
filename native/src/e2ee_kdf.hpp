// Key derivation of docs/FORMAT.md sec. 2 and 3: secret -> master key -> per-sender base key.
#ifndef OTC_SRC_E2EE_KDF_HPP
#define OTC_SRC_E2EE_KDF_HPP

#include <cstddef>
#include <cstdint>

#include "cipher_suite.hpp"

namespace otc {

constexpr std::size_t kMasterKeyLen = 32;
constexpr std::size_t kBaseKeyLen = 32;
constexpr unsigned kFingerprintShift = 48;
constexpr std::uint64_t kSenderIdMask = (std::uint64_t{1} << kFingerprintShift) - 1;

// scrypt(secret, "otc-e2ee/1 master" || session_id, N=32768, r=8, p=1) into master[32]. The caller
// has validated both inputs. False on engine failure (including running out of memory).
bool derive_master_key(const char* session_id, std::size_t session_id_len,
                       const std::uint8_t* secret, std::size_t secret_len, std::uint8_t* master);

bool master_key_fingerprint(const std::uint8_t* master, std::uint16_t* fingerprint);

// HKDF_SHA256(salt = "otc-e2ee/1 sender", ikm = master, info = BE64(kid) || BE16(cs), L = 32).
bool derive_base_key(const std::uint8_t* master, std::uint64_t kid, std::uint16_t suite_id,
                     std::uint8_t* base_key);

}  // namespace otc

#endif
