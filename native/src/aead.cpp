#include "aead.hpp"

namespace otc {

std::unique_ptr<AeadKey> AeadKey::create(const CipherSuite& suite, const std::uint8_t* key,
                                         std::size_t key_len) {
  if (key == nullptr || key_len != suite.key_len) return nullptr;
  return suite.gcm ? make_gcm_key(suite, key) : make_ctr_hmac_key(suite, key);
}

}  // namespace otc
