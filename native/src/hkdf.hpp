// HKDF (RFC 5869) through OpenSSL's EVP_KDF "HKDF", split into its two steps because RFC 9605's
// key schedule uses Extract and Expand separately.
#ifndef OTC_SRC_HKDF_HPP
#define OTC_SRC_HKDF_HPP

#include <cstddef>
#include <cstdint>

#include "cipher_suite.hpp"

namespace otc {

// prk receives hash_len(hash) bytes. False only when the engine fails.
bool hkdf_extract(HashAlg hash, const std::uint8_t* salt, std::size_t salt_len,
                  const std::uint8_t* ikm, std::size_t ikm_len, std::uint8_t* prk);

// False when okm_len is 0 or above 255 * hash_len(hash), or when the engine fails.
bool hkdf_expand(HashAlg hash, const std::uint8_t* prk, std::size_t prk_len,
                 const std::uint8_t* info, std::size_t info_len, std::uint8_t* okm,
                 std::size_t okm_len);

// Extract then Expand, with the intermediate PRK wiped.
bool hkdf(HashAlg hash, const std::uint8_t* salt, std::size_t salt_len, const std::uint8_t* ikm,
          std::size_t ikm_len, const std::uint8_t* info, std::size_t info_len, std::uint8_t* okm,
          std::size_t okm_len);

}  // namespace otc

#endif
