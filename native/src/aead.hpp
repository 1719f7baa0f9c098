// A prepared AEAD key of one cipher suite (RFC 9605 sec. 4.5): the engine's key state (OpenSSL
// contexts, or ipsec-mb's GCM key data) is created and keyed once, so sealing or opening a frame
// only sets the nonce. Not thread-safe: callers serialise use of one key.
#ifndef OTC_SRC_AEAD_HPP
#define OTC_SRC_AEAD_HPP

#include <cstddef>
#include <cstdint>
#include <memory>

#include "cipher_suite.hpp"
#include "gcm_engine.hpp"

namespace otc {

struct Bytes {
  const std::uint8_t* data;
  std::size_t len;
};

enum class OpenResult { kOk, kAuthenticationFailed, kEngineError };

class AeadKey {
 public:
  virtual ~AeadKey() = default;
  AeadKey(const AeadKey&) = delete;
  AeadKey& operator=(const AeadKey&) = delete;

  // Returns NULL when the engine cannot set up the key; key_len must be suite.key_len.
  static std::unique_ptr<AeadKey> create(const CipherSuite& suite, const std::uint8_t* key,
                                         std::size_t key_len);

  // ct_out receives pt_len bytes and tag_out suite.tag_len bytes; aad = aad_a || aad_b (the SFrame
  // header and the caller's metadata, fed separately so that no per-frame concatenation is needed).
  virtual bool seal(const std::uint8_t* nonce, Bytes aad_a, Bytes aad_b, const std::uint8_t* pt,
                    std::size_t pt_len, std::uint8_t* ct_out, std::uint8_t* tag_out) = 0;

  // out receives ct_len bytes only when the tag verifies; otherwise it is not written at all, so
  // callers can promise that a failed frame leaves the application's buffer untouched.
  virtual OpenResult open(const std::uint8_t* nonce, Bytes aad_a, Bytes aad_b,
                          const std::uint8_t* ct, std::size_t ct_len, const std::uint8_t* tag,
                          std::uint8_t* out) = 0;

  const CipherSuite& suite() const { return suite_; }

 protected:
  explicit AeadKey(const CipherSuite& suite) : suite_(suite) {}

 private:
  const CipherSuite& suite_;
};

// AES-GCM on the process's engine (gcm_engine_in_use()).
std::unique_ptr<AeadKey> make_gcm_key(const CipherSuite& suite, const std::uint8_t* key);
// AES-GCM on a given engine, for tests comparing engines; NULL when it is not available here.
std::unique_ptr<AeadKey> make_gcm_key(const CipherSuite& suite, const std::uint8_t* key,
                                      GcmEngine engine);
#if defined(OTC_WITH_IPSEC_MB)
// NULL for kOpenSsl or an engine this CPU cannot run.
std::unique_ptr<AeadKey> make_ipsec_mb_gcm_key(const CipherSuite& suite, const std::uint8_t* key,
                                               GcmEngine engine);
#endif
std::unique_ptr<AeadKey> make_ctr_hmac_key(const CipherSuite& suite, const std::uint8_t* key);

}  // namespace otc

#endif
