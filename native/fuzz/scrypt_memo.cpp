// Memoised master-key derivation for the frame_cryptor target only (linked with
// -Wl,--wrap=<otc::derive_master_key>, see CMakeLists.txt). Each input builds fresh cryptors and
// sets a few fixed secrets; without this every input would spend 0.1 s per secret in scrypt.
// The function is deterministic, so answering from a cache changes no outcome the target checks.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <map>
#include <mutex>
#include <string>

extern "C" bool __real__ZN3otc17derive_master_keyEPKcmPKhmPh(const char* session_id, std::size_t session_id_len,
                                                             const std::uint8_t* secret, std::size_t secret_len,
                                                             std::uint8_t* master);

extern "C" bool __wrap__ZN3otc17derive_master_keyEPKcmPKhmPh(const char* session_id, std::size_t session_id_len,
                                                             const std::uint8_t* secret, std::size_t secret_len,
                                                             std::uint8_t* master) {
  constexpr std::size_t kMaxEntries = 16;  // the target uses 3 secrets and 1 session id
  static std::mutex mu;
  static std::map<std::string, std::array<std::uint8_t, 32>> cache;
  std::string key(session_id, session_id_len);
  key.push_back('\0');  // session ids hold no NUL, so this separates the two inputs
  key.append(reinterpret_cast<const char*>(secret), secret_len);
  std::lock_guard<std::mutex> lock(mu);
  auto it = cache.find(key);
  if (it != cache.end()) {
    std::memcpy(master, it->second.data(), 32);
    return true;
  }
  if (!__real__ZN3otc17derive_master_keyEPKcmPKhmPh(session_id, session_id_len, secret, secret_len, master)) {
    return false;
  }
  if (cache.size() < kMaxEntries) std::memcpy(cache[key].data(), master, 32);
  return true;
}
