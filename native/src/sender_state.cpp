#include "sender_state.hpp"

#include <openssl/rand.h>

namespace otc {

bool SenderState::rekey(const MasterSecret& secret, const CipherSuite& suite) {
  std::uint8_t r[6];
  if (RAND_bytes(r, sizeof r) != 1) return false;
  std::uint64_t sender_id = 0;
  for (std::uint8_t b : r) sender_id = (sender_id << 8) | b;
  const std::uint64_t kid = (std::uint64_t{secret.fingerprint} << kFingerprintShift) | sender_id;
  SecureBytes<kBaseKeyLen> base_key;
  if (!derive_base_key(secret.key.data(), kid, suite.id, base_key.data())) return false;
  std::unique_ptr<SframeKey> key = SframeKey::derive(suite, kid, base_key.data(), kBaseKeyLen);
  if (!key) return false;
  // The previous key's contexts wipe themselves when released here.
  key_ = std::move(key);
  serial_ = secret.serial;
  counter_ = FrameCounter();
  return true;
}

}  // namespace otc
