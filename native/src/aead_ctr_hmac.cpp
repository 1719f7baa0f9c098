// AES-128-CTR with truncated HMAC-SHA256 (RFC 9605 sec. 4.5.1; suites 0x0001..0x0003).
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <cstring>

#include "aead.hpp"
#include "crypto_engine.hpp"
#include "evp_chunks.hpp"

namespace otc {

namespace {

void put_be64(std::uint64_t v, std::uint8_t* out) {
  for (int i = 0; i < 8; ++i) out[i] = static_cast<std::uint8_t>(v >> (56 - 8 * i));
}

class CtrHmacKey final : public AeadKey {
 public:
  CtrHmacKey(const CipherSuite& suite, EVP_CIPHER_CTX* ctr, EVP_MAC_CTX* mac)
      : AeadKey(suite), ctr_(ctr), mac_(mac) {}
  // Both free functions have the provider wipe the key state.
  ~CtrHmacKey() override {
    EVP_CIPHER_CTX_free(ctr_);
    EVP_MAC_CTX_free(mac_);
  }

  bool seal(const std::uint8_t* nonce, Bytes aad_a, Bytes aad_b, const std::uint8_t* pt,
            std::size_t pt_len, std::uint8_t* ct_out, std::uint8_t* tag_out) override {
    if (!apply_ctr(nonce, pt, pt_len, ct_out)) return false;
    std::uint8_t full[32];
    if (!compute_tag(nonce, aad_a, aad_b, ct_out, pt_len, full)) return false;
    std::memcpy(tag_out, full, suite().tag_len);
    return true;
  }

  OpenResult open(const std::uint8_t* nonce, Bytes aad_a, Bytes aad_b, const std::uint8_t* ct,
                  std::size_t ct_len, const std::uint8_t* tag, std::uint8_t* out) override {
    std::uint8_t full[32];
    if (!compute_tag(nonce, aad_a, aad_b, ct, ct_len, full)) return OpenResult::kEngineError;
    // Encrypt-then-MAC: the tag is checked before anything is decrypted into out.
    if (CRYPTO_memcmp(full, tag, suite().tag_len) != 0) return OpenResult::kAuthenticationFailed;
    return apply_ctr(nonce, ct, ct_len, out) ? OpenResult::kOk : OpenResult::kEngineError;
  }

 private:
  bool apply_ctr(const std::uint8_t* nonce, const std::uint8_t* in, std::size_t len,
                 std::uint8_t* out) {
    std::uint8_t block[16] = {0};
    std::memcpy(block, nonce, kNonceLen);
    if (EVP_CipherInit_ex(ctr_, nullptr, nullptr, nullptr, block, 1) != 1) return false;
    return cipher_update(ctr_, out, in, len);
  }

  bool compute_tag(const std::uint8_t* nonce, Bytes aad_a, Bytes aad_b, const std::uint8_t* ct,
                   std::size_t ct_len, std::uint8_t* full) {
    std::uint8_t lengths[24];
    put_be64(aad_a.len + aad_b.len, lengths);
    put_be64(ct_len, lengths + 8);
    put_be64(suite().tag_len, lengths + 16);
    // A NULL key re-initialises HMAC with the key set when the context was prepared.
    if (EVP_MAC_init(mac_, nullptr, 0, nullptr) != 1) return false;
    if (EVP_MAC_update(mac_, lengths, sizeof lengths) != 1 ||
        EVP_MAC_update(mac_, nonce, kNonceLen) != 1 ||
        (aad_a.len > 0 && EVP_MAC_update(mac_, aad_a.data, aad_a.len) != 1) ||
        (aad_b.len > 0 && EVP_MAC_update(mac_, aad_b.data, aad_b.len) != 1) ||
        (ct_len > 0 && EVP_MAC_update(mac_, ct, ct_len) != 1)) {
      return false;
    }
    std::size_t out_len = 0;
    return EVP_MAC_final(mac_, full, &out_len, 32) == 1 && out_len == 32;
  }

  EVP_CIPHER_CTX* ctr_;
  EVP_MAC_CTX* mac_;
};

}  // namespace

std::unique_ptr<AeadKey> make_ctr_hmac_key(const CipherSuite& suite, const std::uint8_t* key) {
  const CryptoEngine& engine = crypto_engine();
  if (engine.aes_128_ctr == nullptr || engine.hmac == nullptr) return nullptr;
  EVP_CIPHER_CTX* ctr = EVP_CIPHER_CTX_new();
  EVP_MAC_CTX* mac = EVP_MAC_CTX_new(engine.hmac);
  char digest[] = "SHA256";
  const OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
      OSSL_PARAM_construct_end(),
  };
  if (ctr == nullptr || mac == nullptr ||
      EVP_CipherInit_ex(ctr, engine.aes_128_ctr, nullptr, key, nullptr, 1) != 1 ||
      EVP_MAC_init(mac, key + kCtrHmacEncKeyLen, kCtrHmacAuthKeyLen, params) != 1) {
    EVP_CIPHER_CTX_free(ctr);
    EVP_MAC_CTX_free(mac);
    return nullptr;
  }
  try {
    return std::make_unique<CtrHmacKey>(suite, ctr, mac);
  } catch (...) {
    EVP_CIPHER_CTX_free(ctr);
    EVP_MAC_CTX_free(mac);
    throw;
  }
}

}  // namespace otc
