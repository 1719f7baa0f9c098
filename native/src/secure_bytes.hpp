// Fixed-size buffer for key material that is wiped when it goes out of scope, so no early return
// or exception path can leave a key on the stack or heap.
#ifndef OTC_SRC_SECURE_BYTES_HPP
#define OTC_SRC_SECURE_BYTES_HPP

#include <openssl/crypto.h>

#include <array>
#include <cstddef>
#include <cstdint>

namespace otc {

template <std::size_t N>
class SecureBytes {
 public:
  SecureBytes() { bytes_.fill(0); }
  ~SecureBytes() { wipe(); }
  SecureBytes(const SecureBytes& other) : bytes_(other.bytes_) {}
  SecureBytes& operator=(const SecureBytes& other) {
    bytes_ = other.bytes_;
    return *this;
  }

  void wipe() { OPENSSL_cleanse(bytes_.data(), bytes_.size()); }
  std::uint8_t* data() { return bytes_.data(); }
  const std::uint8_t* data() const { return bytes_.data(); }
  static constexpr std::size_t size() { return N; }

 private:
  std::array<std::uint8_t, N> bytes_;
};

}  // namespace otc

#endif
