#include "wire_buffer.hpp"

#include <cstring>

#include "utf8.hpp"

namespace otc::client {

bool WireReader::take(std::size_t n, const std::uint8_t** out) {
  if (!ok_ || len_ - pos_ < n) {
    ok_ = false;
    return false;
  }
  *out = data_ + pos_;
  pos_ += n;
  return true;
}

std::uint8_t WireReader::u8() {
  const std::uint8_t* p;
  return take(1, &p) ? p[0] : 0;
}

std::uint16_t WireReader::u16() {
  const std::uint8_t* p;
  return take(2, &p) ? static_cast<std::uint16_t>((p[0] << 8) | p[1]) : 0;
}

std::uint32_t WireReader::u32() {
  const std::uint8_t* p;
  return take(4, &p) ? get_u32(p) : 0;
}

std::uint64_t WireReader::u64() {
  const std::uint8_t* p;
  if (!take(8, &p)) return 0;
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | p[i];
  return v;
}

std::string WireReader::str(std::size_t max_bytes) {
  const std::uint16_t n = u16();
  const std::uint8_t* p;
  if (!ok_) return {};
  if (n > max_bytes || !take(n, &p) || !is_valid_utf8(p, n)) {
    ok_ = false;
    return {};
  }
  return std::string(reinterpret_cast<const char*>(p), n);
}

void WireWriter::u16(std::uint16_t v) {
  out_.push_back(static_cast<std::uint8_t>(v >> 8));
  out_.push_back(static_cast<std::uint8_t>(v));
}

void WireWriter::u32(std::uint32_t v) {
  for (int s = 24; s >= 0; s -= 8) out_.push_back(static_cast<std::uint8_t>(v >> s));
}

void WireWriter::u64(std::uint64_t v) {
  for (int s = 56; s >= 0; s -= 8) out_.push_back(static_cast<std::uint8_t>(v >> s));
}

void WireWriter::str(std::string_view s) {
  u16(static_cast<std::uint16_t>(s.size()));
  raw(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
}

void put_u32_at(std::vector<std::uint8_t>& buf, std::size_t at, std::uint32_t v) {
  buf[at] = static_cast<std::uint8_t>(v >> 24);
  buf[at + 1] = static_cast<std::uint8_t>(v >> 16);
  buf[at + 2] = static_cast<std::uint8_t>(v >> 8);
  buf[at + 3] = static_cast<std::uint8_t>(v);
}

std::uint32_t get_u32(const std::uint8_t* p) {
  return (static_cast<std::uint32_t>(p[0]) << 24) | (static_cast<std::uint32_t>(p[1]) << 16) |
         (static_cast<std::uint32_t>(p[2]) << 8) | static_cast<std::uint32_t>(p[3]);
}

}  // namespace otc::client
