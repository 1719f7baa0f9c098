#include "sframe_key.hpp"

#include "sframe_header.hpp"
#include "sframe_key_schedule.hpp"

namespace otc {

bool parse_frame(const CipherSuite& suite, const std::uint8_t* frame, std::size_t frame_len,
                 ParsedFrame* parsed, bool* header_ok) {
  std::size_t header_len = 0;
  *header_ok = decode_sframe_header(frame, frame_len, &parsed->kid, &parsed->ctr, &header_len);
  if (!*header_ok || frame_len - header_len < suite.tag_len) return false;
  parsed->header = Bytes{frame, header_len};
  parsed->ciphertext = frame + header_len;
  parsed->ciphertext_len = frame_len - header_len - suite.tag_len;
  parsed->tag = frame + (frame_len - suite.tag_len);
  return true;
}

std::unique_ptr<SframeKey> SframeKey::derive(const CipherSuite& suite, std::uint64_t kid,
                                             const std::uint8_t* base_key,
                                             std::size_t base_key_len) {
  SecureBytes<kMaxSframeKeyLen> key;
  SecureBytes<kNonceLen> salt;
  if (!derive_sframe_key_and_salt(suite, kid, base_key, base_key_len, key.data(), salt.data())) {
    return nullptr;
  }
  std::unique_ptr<AeadKey> aead = AeadKey::create(suite, key.data(), suite.key_len);
  if (!aead) return nullptr;
  std::unique_ptr<SframeKey> result(new SframeKey(kid, std::move(aead)));
  result->salt_ = salt;
  return result;
}

void SframeKey::nonce_for(std::uint64_t ctr, std::uint8_t* nonce) const {
  // nonce = salt XOR CTR, with CTR big-endian in the last 8 of the 12 bytes.
  for (std::size_t i = 0; i < kNonceLen; ++i) nonce[i] = salt_.data()[i];
  for (int i = 0; i < 8; ++i) nonce[kNonceLen - 1 - i] ^= static_cast<std::uint8_t>(ctr >> (8 * i));
}

bool SframeKey::protect(std::uint64_t ctr, Bytes metadata, const std::uint8_t* plaintext,
                        std::size_t plaintext_len, std::uint8_t* out, std::size_t* out_len) {
  const std::size_t header_len = encode_sframe_header(kid_, ctr, out);
  SecureBytes<kNonceLen> nonce;
  nonce_for(ctr, nonce.data());
  std::uint8_t* ct = out + header_len;
  if (!aead_->seal(nonce.data(), Bytes{out, header_len}, metadata, plaintext, plaintext_len, ct,
                   ct + plaintext_len)) {
    return false;
  }
  *out_len = header_len + plaintext_len + suite().tag_len;
  return true;
}

OpenResult SframeKey::unprotect(const ParsedFrame& frame, Bytes metadata, std::uint8_t* out) {
  SecureBytes<kNonceLen> nonce;
  nonce_for(frame.ctr, nonce.data());
  return aead_->open(nonce.data(), frame.header, metadata, frame.ciphertext, frame.ciphertext_len,
                     frame.tag, out);
}

}  // namespace otc
