#include "scratch_buffer.hpp"

#include <openssl/crypto.h>

#include <memory>

namespace otc {

namespace {

class Scratch {
 public:
  ~Scratch() { release(); }

  std::uint8_t* get(std::size_t len) {
    if (len > capacity_) {
      // Grow geometrically so a stream of slowly growing frames reallocates O(log n) times.
      std::size_t want = capacity_ == 0 ? 4096 : capacity_;
      while (want < len) want = want > (SIZE_MAX / 2) ? len : want * 2;
      auto fresh = std::make_unique<std::uint8_t[]>(want);
      release();
      data_ = std::move(fresh);
      capacity_ = want;
    }
    return data_.get();
  }

 private:
  // Decrypted media is not key material, but it is still the application's private content.
  void release() {
    if (data_) OPENSSL_cleanse(data_.get(), capacity_);
    data_.reset();
    capacity_ = 0;
  }

  std::unique_ptr<std::uint8_t[]> data_;
  std::size_t capacity_ = 0;
};

}  // namespace

std::uint8_t* thread_scratch(std::size_t len) {
  thread_local Scratch scratch;
  return scratch.get(len == 0 ? 1 : len);
}

}  // namespace otc
