// AES-GCM suites (0x0004, 0x0005) on OpenSSL, and the choice between it and ipsec-mb
// (aead_gcm_ipsec_mb.cpp).
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

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
    if (!enter(Direction::kSeal)) return false;
    OSSL_PARAM params[] = {whole_nonce(nonce), OSSL_PARAM_END};
    if (EVP_CIPHER_CTX_set_params(ctx_, params) != 1) return false;
    if (!feed_aad(aad_a, aad_b)) return false;
    if (!cipher_update(ctx_, ct_out, pt, pt_len)) return false;
    int final_len = 0;
    std::uint8_t unused[16];
    if (EVP_CipherFinal_ex(ctx_, unused, &final_len) != 1 || final_len != 0) return false;
    // get_params with our own array instead of the GET_TAG ctrl, which builds the same request
    // after a dispatch on the ctrl code.
    OSSL_PARAM tag[] = {
        OSSL_PARAM_construct_octet_string(OSSL_CIPHER_PARAM_AEAD_TAG, tag_out, suite().tag_len),
        OSSL_PARAM_END};
    return EVP_CIPHER_CTX_get_params(ctx_, tag) == 1;
  }

  OpenResult open(const std::uint8_t* nonce, Bytes aad_a, Bytes aad_b, const std::uint8_t* ct,
                  std::size_t ct_len, const std::uint8_t* tag, std::uint8_t* out) override {
    std::uint8_t* plain = thread_scratch(ct_len);
    if (!enter(Direction::kOpen)) return OpenResult::kEngineError;
    // The expected tag goes in with the nonce, in one provider call: GCM only compares it at the
    // final step. OpenSSL copies it into the context and does not modify it.
    OSSL_PARAM params[] = {
        whole_nonce(nonce),
        OSSL_PARAM_construct_octet_string(OSSL_CIPHER_PARAM_AEAD_TAG, const_cast<std::uint8_t*>(tag),
                                          suite().tag_len),
        OSSL_PARAM_END};
    if (EVP_CIPHER_CTX_set_params(ctx_, params) != 1) return OpenResult::kEngineError;
    if (!feed_aad(aad_a, aad_b) || !cipher_update(ctx_, plain, ct, ct_len)) {
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
  enum class Direction { kNone, kSeal, kOpen };

  // The context is re-initialised only when the direction changes (a key normally only seals or
  // only opens): in OpenSSL 3.0 every EVP_CipherInit_ex with a nonce queries the IV length from
  // the provider twice through OSSL_PARAM lookups, ~1,000 of the ~4,000 instructions a 100-byte
  // frame took (callgrind).
  bool enter(Direction d) {
    if (direction_ == d) return true;
    direction_ = Direction::kNone;
    if (EVP_CipherInit_ex(ctx_, nullptr, nullptr, nullptr, nullptr, d == Direction::kSeal ? 1 : 0) != 1) {
      return false;
    }
    direction_ = d;
    return true;
  }

  // The GCM provider's "TLS1 fixed IV" parameter with length -1 replaces the whole nonce (the
  // special case behind EVP_CTRL_GCM_SET_IV_FIXED with arg -1) and re-arms the context exactly as
  // an init with a nonce does: the next update sets the IV in the GCM state, resetting the
  // running GHASH and lengths. The IV length stays the one fixed in make_gcm_key.
  static OSSL_PARAM whole_nonce(const std::uint8_t* nonce) {
    return OSSL_PARAM_construct_octet_string(OSSL_CIPHER_PARAM_AEAD_TLS1_IV_FIXED,
                                             const_cast<std::uint8_t*>(nonce), static_cast<std::size_t>(-1));
  }

  bool feed_aad(Bytes a, Bytes b) {
    // Header and metadata are usually a few dozen bytes: joined on the stack they take one EVP
    // update instead of two (each a provider dispatch), and GHASH does not run byte-wise over the
    // seam between them.
    std::uint8_t joined[kJoinedAadMax];
    if (a.len <= sizeof joined && b.len <= sizeof joined - a.len) {
      if (a.len > 0) std::memcpy(joined, a.data, a.len);
      if (b.len > 0) std::memcpy(joined + a.len, b.data, b.len);
      return cipher_update(ctx_, nullptr, joined, a.len + b.len);
    }
    return cipher_update(ctx_, nullptr, a.data, a.len) && cipher_update(ctx_, nullptr, b.data, b.len);
  }

  static constexpr std::size_t kJoinedAadMax = 128;

  EVP_CIPHER_CTX* ctx_;
  Direction direction_ = Direction::kNone;
};

std::unique_ptr<AeadKey> make_openssl_gcm_key(const CipherSuite& suite, const std::uint8_t* key) {
  const CryptoEngine& engine = crypto_engine();
  const EVP_CIPHER* cipher = suite.key_len == 16 ? engine.aes_128_gcm : engine.aes_256_gcm;
  if (cipher == nullptr) return nullptr;
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  if (ctx == nullptr) return nullptr;
  // The IV length is fixed here (12 is GCM's default, but we do not rely on the default): the
  // per-frame whole-nonce parameter copies exactly this many bytes.
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

}  // namespace

std::unique_ptr<AeadKey> make_gcm_key(const CipherSuite& suite, const std::uint8_t* key,
                                      GcmEngine engine) {
  if (engine == GcmEngine::kOpenSsl) return make_openssl_gcm_key(suite, key);
#if defined(OTC_WITH_IPSEC_MB)
  return make_ipsec_mb_gcm_key(suite, key, engine);
#else
  return nullptr;
#endif
}

std::unique_ptr<AeadKey> make_gcm_key(const CipherSuite& suite, const std::uint8_t* key) {
  return make_gcm_key(suite, key, gcm_engine_in_use());
}

}  // namespace otc
