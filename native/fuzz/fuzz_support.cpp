#include "fuzz_support.hpp"

namespace otc::fuzz {

std::uint8_t Input::u8() { return pos_ < len_ ? data_[pos_++] : 0; }

std::uint16_t Input::u16() {
  const std::uint16_t hi = u8();
  return static_cast<std::uint16_t>((hi << 8) | u8());
}

std::uint64_t Input::u64() {
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | u8();
  return v;
}

std::vector<std::uint8_t> Input::bytes(std::size_t n) {
  const std::size_t take = pos_ < len_ ? (len_ - pos_ < n ? len_ - pos_ : n) : 0;
  std::vector<std::uint8_t> out(data_ + pos_, data_ + pos_ + take);
  pos_ += take;
  return out;
}

Writer& Writer::u8(std::uint8_t v) {
  out_.push_back(v);
  return *this;
}

Writer& Writer::u16(std::uint16_t v) { return u8(static_cast<std::uint8_t>(v >> 8)).u8(static_cast<std::uint8_t>(v)); }

Writer& Writer::u64(std::uint64_t v) {
  for (int i = 7; i >= 0; --i) u8(static_cast<std::uint8_t>(v >> (8 * i)));
  return *this;
}

Writer& Writer::bytes(const std::vector<std::uint8_t>& v) {
  out_.insert(out_.end(), v.begin(), v.end());
  return *this;
}

}  // namespace otc::fuzz
