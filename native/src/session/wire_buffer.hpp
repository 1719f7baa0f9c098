// Big-endian field readers and writers for the router protocol (docs/PROTOCOL.md sec. 1).
// The reader never throws and never reads past its input: the first failure latches `ok()` to
// false, and every later read returns a zero value, so a decoder checks once at the end.
#ifndef OTC_SRC_SESSION_WIRE_BUFFER_HPP
#define OTC_SRC_SESSION_WIRE_BUFFER_HPP

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace otc::client {

class WireReader {
 public:
  WireReader(const std::uint8_t* data, std::size_t len) : data_(data), len_(len) {}

  std::uint8_t u8();
  std::uint16_t u16();
  std::uint32_t u32();
  std::uint64_t u64();
  // `str`: u16 length + UTF-8; invalid UTF-8 or a length above max_bytes fails the reader.
  std::string str(std::size_t max_bytes = 65535);

  std::size_t position() const { return pos_; }
  std::size_t remaining() const { return ok_ ? len_ - pos_ : 0; }
  bool ok() const { return ok_; }
  // Everything read, nothing left over, no failure.
  bool finished() const { return ok_ && pos_ == len_; }
  void fail() { ok_ = false; }

 private:
  bool take(std::size_t n, const std::uint8_t** out);

  const std::uint8_t* data_;
  std::size_t len_;
  std::size_t pos_ = 0;
  bool ok_ = true;
};

class WireWriter {
 public:
  explicit WireWriter(std::vector<std::uint8_t>& out) : out_(out) {}

  void u8(std::uint8_t v) { out_.push_back(v); }
  void u16(std::uint16_t v);
  void u32(std::uint32_t v);
  void u64(std::uint64_t v);
  // Caller guarantees s.size() <= 65535 (encoders validate before writing).
  void str(std::string_view s);
  void raw(const std::uint8_t* data, std::size_t len) { out_.insert(out_.end(), data, data + len); }

 private:
  std::vector<std::uint8_t>& out_;
};

// Overwrites 4 bytes at `at` with a big-endian u32 (used to patch the length prefix).
void put_u32_at(std::vector<std::uint8_t>& buf, std::size_t at, std::uint32_t v);
std::uint32_t get_u32(const std::uint8_t* p);

}  // namespace otc::client

#endif
