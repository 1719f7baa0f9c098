#include "test_support.hpp"

#include <fstream>
#include <stdexcept>

namespace otc_test {

Bytes from_hex(const std::string& hex) {
  if (hex.size() % 2 != 0) throw std::invalid_argument("odd-length hex");
  Bytes out(hex.size() / 2);
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i] = static_cast<std::uint8_t>(std::stoul(hex.substr(2 * i, 2), nullptr, 16));
  }
  return out;
}

std::string to_hex(const Bytes& bytes) {
  static const char digits[] = "0123456789abcdef";
  std::string out;
  for (std::uint8_t b : bytes) {
    out.push_back(digits[b >> 4]);
    out.push_back(digits[b & 15]);
  }
  return out;
}

Bytes from_string(const std::string& s) { return Bytes(s.begin(), s.end()); }

nlohmann::json load_vectors(const std::string& relative_path) {
  const std::string path = std::string(OTC_TESTVECTORS_DIR) + "/" + relative_path;
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open test vectors " + path);
  return nlohmann::json::parse(in);
}

Bytes pattern(std::size_t len, std::uint8_t seed) {
  Bytes out(len);
  for (std::size_t i = 0; i < len; ++i) out[i] = static_cast<std::uint8_t>(i * 31 + seed * 7 + (i >> 8));
  return out;
}

}  // namespace otc_test
