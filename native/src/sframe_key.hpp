// One SFrame key (RFC 9605 sec. 4.4): the prepared AEAD key and salt of one KID, and the frame
// layout header || ciphertext || tag built around it.
#ifndef OTC_SRC_SFRAME_KEY_HPP
#define OTC_SRC_SFRAME_KEY_HPP

#include <cstddef>
#include <cstdint>
#include <memory>

#include "aead.hpp"
#include "cipher_suite.hpp"
#include "secure_bytes.hpp"

namespace otc {

// A frame split into its parts; pointers point into the frame.
struct ParsedFrame {
  std::uint64_t kid;
  std::uint64_t ctr;
  Bytes header;
  const std::uint8_t* ciphertext;
  std::size_t ciphertext_len;
  const std::uint8_t* tag;
};

// False (malformed) when the header is truncated or the frame cannot hold header and tag. On
// false, kid/ctr are still filled in when the header itself parsed (*header_ok = true).
bool parse_frame(const CipherSuite& suite, const std::uint8_t* frame, std::size_t frame_len,
                 ParsedFrame* parsed, bool* header_ok);

class SframeKey {
 public:
  // NULL when the engine fails; throws std::bad_alloc when out of memory.
  static std::unique_ptr<SframeKey> derive(const CipherSuite& suite, std::uint64_t kid,
                                           const std::uint8_t* base_key, std::size_t base_key_len);

  // Writes header || ct || tag; out must hold plaintext_len + OTC_SFRAME_MAX_HEADER_SIZE + tag.
  bool protect(std::uint64_t ctr, Bytes metadata, const std::uint8_t* plaintext,
               std::size_t plaintext_len, std::uint8_t* out, std::size_t* out_len);

  // out (capacity >= frame.ciphertext_len) is written only on kOk.
  OpenResult unprotect(const ParsedFrame& frame, Bytes metadata, std::uint8_t* out);

  std::uint64_t kid() const { return kid_; }
  const CipherSuite& suite() const { return aead_->suite(); }

 private:
  SframeKey(std::uint64_t kid, std::unique_ptr<AeadKey> aead) : kid_(kid), aead_(std::move(aead)) {}
  void nonce_for(std::uint64_t ctr, std::uint8_t* nonce) const;

  std::uint64_t kid_;
  SecureBytes<kNonceLen> salt_;
  std::unique_ptr<AeadKey> aead_;
};

}  // namespace otc

#endif
