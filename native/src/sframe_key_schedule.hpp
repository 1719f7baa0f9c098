// RFC 9605 sec. 4.4.2: sframe_key and sframe_salt from a base key.
#ifndef OTC_SRC_SFRAME_KEY_SCHEDULE_HPP
#define OTC_SRC_SFRAME_KEY_SCHEDULE_HPP

#include <cstddef>
#include <cstdint>

#include "cipher_suite.hpp"

namespace otc {

// key_out receives suite.key_len bytes, salt_out suite.nonce_len bytes. False on engine failure.
bool derive_sframe_key_and_salt(const CipherSuite& suite, std::uint64_t kid,
                                const std::uint8_t* base_key, std::size_t base_key_len,
                                std::uint8_t* key_out, std::uint8_t* salt_out);

}  // namespace otc

#endif
