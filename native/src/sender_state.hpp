// The sending side of one cryptor (docs/FORMAT.md sec. 3-4): the KID it draws for the current
// secret, that KID's key and its frame counter. Guarded by the owning cryptor's send mutex.
#ifndef OTC_SRC_SENDER_STATE_HPP
#define OTC_SRC_SENDER_STATE_HPP

#include <cstdint>
#include <memory>

#include "frame_counter.hpp"
#include "keyring.hpp"
#include "sframe_key.hpp"

namespace otc {

class SenderState {
 public:
  // Whether the key in use was derived from the keyring's current secret.
  bool is_current(const Keyring& keyring) const {
    return key_ != nullptr && serial_ == keyring.current_serial();
  }

  // Draws a fresh 48-bit sender id and derives its key under `secret`; false on engine failure.
  bool rekey(const MasterSecret& secret, const CipherSuite& suite);

  SframeKey& key() { return *key_; }
  FrameCounter& counter() { return counter_; }

 private:
  std::uint64_t serial_ = 0;
  std::unique_ptr<SframeKey> key_;
  FrameCounter counter_;
};

}  // namespace otc

#endif
