// AES-GCM suites (0x0004, 0x0005).
#include <openssl/evp.h>

#include <cstring>

#include "aead.hpp"
#include "crypto_engine.hpp"
#include "evp_chunks.hpp"
#include "scratch_buffer.hpp"

namespace otc {

namespace {

class GcmKey final : public AeadKey {
 public:
  GcmKey(const CipherSuite& suite, EVP_CIPHER_CTX* ctx) : AeadKey(suite), ctx_(ctx) {}
  // EVP_CIPHER_CTX_free has the provider wipe the expanded key schedule.
  ~GcmKey() override { EVP_CIPHER_CTX_free(ctx_); }

  bool seal(const std::uint8_t* nonce, Bytes aad_a, Bytes aad_b, const std::uint8_t* pt,
            std::size_t pt_len, std::uint8_t* ct_out, std::uint8_t* tag_out) override {
    if (EVP_CipherInit_ex(ctx_, nullptr, nullptr, nullptr, nonce, 1) != 1) return false;
    if (!feed_aad(aad_a, aad_b)) return false;
    if (!cipher_update(ctx_, ct_out, pt, pt_len)) return false;
    int final_len = 0;
    std::uint8_t unused[16];
    if (EVP_CipherFinal_ex(ctx_, unused, &final_len) != 1 || final_len != 0) return false;
    return EVP_CIPHER_CTX_ctrl(ctx_, EVP_CTRL_GCM_GET_TAG, static_cast<int>(suite().tag_len),
                               tag_out) == 1;
  }

  OpenResult open(const std::uint8_t* nonce, Bytes aad_a, Bytes aad_b, const std::uint8_t* ct,
                  std::size_t ct_len, const std::uint8_t* tag, std::uint8_t* out) override {
    std::uint8_t* plain = thread_scratch(ct_len);
    if (EVP_CipherInit_ex(ctx_, nullptr, nullptr, nullptr, nonce, 0) != 1) {
      return OpenResult::kEngineError;
    }
    if (!feed_aad(aad_a, aad_b) || !cipher_update(ctx_, plain, ct, ct_len)) {
      return OpenResult::kEngineError;
    }
    // OpenSSL copies the expected tag into the context; it is not modified.
    if (EVP_CIPHER_CTX_ctrl(ctx_, EVP_CTRL_GCM_SET_TAG, static_cast<int>(suite().tag_len),
                            const_cast<std::uint8_t*>(tag)) != 1) {
      return OpenResult::kEngineError;
    }
    int final_len = 0;
    std::uint8_t unused[16];
    if (EVP_CipherFinal_ex(ctx_, unused, &final_len) != 1) {
      return OpenResult::kAuthenticationFailed;
    }
    if (ct_len > 0) std::memmove(out, plain, ct_len);
    return OpenResult::kOk;
  }

 private:
  bool feed_aad(Bytes a, Bytes b) {
    return cipher_update(ctx_, nullptr, a.data, a.len) && cipher_update(ctx_, nullptr, b.data, b.len);
  }

  EVP_CIPHER_CTX* ctx_;
};

}  // namespace

std::unique_ptr<AeadKey> make_gcm_key(const CipherSuite& suite, const std::uint8_t* key) {
  const CryptoEngine& engine = crypto_engine();
  const EVP_CIPHER* cipher = suite.key_len == 16 ? engine.aes_128_gcm : engine.aes_256_gcm;
  if (cipher == nullptr) return nullptr;
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  if (ctx == nullptr) return nullptr;
  // The IV length is fixed here (12 is GCM's default, but we do not rely on the default) so that
  // later per-frame inits only pass the nonce.
  if (EVP_CipherInit_ex(ctx, cipher, nullptr, nullptr, nullptr, 1) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(suite.nonce_len), nullptr) != 1 ||
      EVP_CipherInit_ex(ctx, nullptr, nullptr, key, nullptr, 1) != 1) {
    EVP_CIPHER_CTX_free(ctx);
    return nullptr;
  }
  try {
    return std::make_unique<GcmKey>(suite, ctx);
  } catch (...) {
    EVP_CIPHER_CTX_free(ctx);
    throw;
  }
}

}  // namespace otc
