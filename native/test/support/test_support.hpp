// Helpers shared by the native tests: hex, vector files, byte strings.
#ifndef OTC_TEST_SUPPORT_HPP
#define OTC_TEST_SUPPORT_HPP

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace otc_test {

using Bytes = std::vector<std::uint8_t>;

Bytes from_hex(const std::string& hex);
std::string to_hex(const Bytes& bytes);
Bytes from_string(const std::string& s);

// Parses OTC_TESTVECTORS_DIR/<relative_path>; throws with the path in the message if missing.
nlohmann::json load_vectors(const std::string& relative_path);

// Deterministic filler so failures reproduce.
Bytes pattern(std::size_t len, std::uint8_t seed = 0);

}  // namespace otc_test

#endif
