// AES-GCM suites (0x0004, 0x0005) on Intel ipsec-mb's direct GCM functions (x86_64 builds that
// link it). The key schedule and GHASH key powers are prepared once per key into gcm_key_data,
// which is only read afterwards; each frame is one call with its context on the stack, so a frame
// allocates nothing and costs no setup.
#if defined(OTC_WITH_IPSEC_MB)

#include <openssl/crypto.h>

#include <cstring>
#include <new>

#include "aead.hpp"
#include "gcm_engine.hpp"
#include "ipsec_mb_gcm.hpp"
#include "scratch_buffer.hpp"

namespace otc {

namespace {

const IpsecMbGcm* functions_for(GcmEngine engine, std::size_t key_len) {
  // The key expansions are those ipsec-mb's aes_gcm_pre_* pair with each architecture.
  static constexpr IpsecMbGcm kSse128{aes_keyexp_128_enc_sse, aes_gcm_precomp_128_sse,
                                      aes_gcm_enc_128_sse, aes_gcm_dec_128_sse};
  static constexpr IpsecMbGcm kSse256{aes_keyexp_256_enc_sse, aes_gcm_precomp_256_sse,
                                      aes_gcm_enc_256_sse, aes_gcm_dec_256_sse};
  static constexpr IpsecMbGcm kAvx2_128{aes_keyexp_128_enc_avx2, aes_gcm_precomp_128_avx_gen4,
                                        aes_gcm_enc_128_avx_gen4, aes_gcm_dec_128_avx_gen4};
  static constexpr IpsecMbGcm kAvx2_256{aes_keyexp_256_enc_avx2, aes_gcm_precomp_256_avx_gen4,
                                        aes_gcm_enc_256_avx_gen4, aes_gcm_dec_256_avx_gen4};
  static constexpr IpsecMbGcm kVaes128{aes_keyexp_128_enc_avx2, aes_gcm_precomp_128_vaes_avx512,
                                       aes_gcm_enc_128_vaes_avx512, aes_gcm_dec_128_vaes_avx512};
  static constexpr IpsecMbGcm kVaes256{aes_keyexp_256_enc_avx2, aes_gcm_precomp_256_vaes_avx512,
                                       aes_gcm_enc_256_vaes_avx512, aes_gcm_dec_256_vaes_avx512};
  if (key_len != 16 && key_len != 32) return nullptr;
  const bool k128 = key_len == 16;
  switch (engine) {
    case GcmEngine::kIpsecMbSse:
      return k128 ? &kSse128 : &kSse256;
    case GcmEngine::kIpsecMbAvx2:
      return k128 ? &kAvx2_128 : &kAvx2_256;
    case GcmEngine::kIpsecMbVaesAvx512:
      return k128 ? &kVaes128 : &kVaes256;
    case GcmEngine::kOpenSsl:
      break;
  }
  return nullptr;
}

class IpsecMbGcmKey final : public AeadKey {
 public:
  IpsecMbGcmKey(const CipherSuite& suite, const IpsecMbGcm& fn, const std::uint8_t* key)
      : AeadKey(suite), fn_(fn) {
    fn_.expand_key(key, key_data_.expanded_keys);
    fn_.precompute(&key_data_);
  }
  ~IpsecMbGcmKey() override { OPENSSL_cleanse(&key_data_, sizeof key_data_); }

  bool seal(const std::uint8_t* nonce, Bytes aad_a, Bytes aad_b, const std::uint8_t* pt,
            std::size_t pt_len, std::uint8_t* ct_out, std::uint8_t* tag_out) override {
    std::uint8_t stack_aad[kJoinedAadMax];
    const Bytes aad = join(aad_a, aad_b, stack_aad, [&](std::size_t n) { return thread_scratch(n); });
    // The context holds the running GHASH and counter of this one call, no key material: the key
    // schedule and hash key powers stay in key_data_.
    gcm_context_data ctx;
    fn_.encrypt(&key_data_, &ctx, ct_out, pt, pt_len, nonce, aad.data, aad.len, tag_out,
                suite().tag_len);
    return true;
  }

  OpenResult open(const std::uint8_t* nonce, Bytes aad_a, Bytes aad_b, const std::uint8_t* ct,
                  std::size_t ct_len, const std::uint8_t* tag, std::uint8_t* out) override {
    // ipsec-mb writes plaintext before it has the tag, and out must stay untouched when the tag
    // is wrong: decrypt into the thread's scratch buffer (which also holds a long joined AAD,
    // after the plaintext) and copy out only after the tag verified.
    std::uint8_t* plain = nullptr;
    std::uint8_t stack_aad[kJoinedAadMax];
    const Bytes aad = join(aad_a, aad_b, stack_aad, [&](std::size_t n) {
      if (n > SIZE_MAX - ct_len) throw std::bad_alloc();
      plain = thread_scratch(ct_len + n);
      return plain + ct_len;
    });
    if (plain == nullptr) plain = thread_scratch(ct_len);
    gcm_context_data ctx;
    std::uint8_t computed[16];
    fn_.decrypt(&key_data_, &ctx, plain, ct, ct_len, nonce, aad.data, aad.len, computed,
                suite().tag_len);
    const bool authentic = CRYPTO_memcmp(computed, tag, suite().tag_len) == 0;
    OPENSSL_cleanse(computed, sizeof computed);
    if (!authentic) return OpenResult::kAuthenticationFailed;
    if (ct_len > 0) std::memcpy(out, plain, ct_len);
    return OpenResult::kOk;
  }

 private:
  // ipsec-mb takes the AAD in one piece. Header and metadata are usually a few dozen bytes and
  // join on the stack; when one part is empty the other is used where it is; only a longer pair
  // goes to heap storage from `grow` (the thread's scratch buffer, so still no per-frame malloc).
  template <typename Grow>
  static Bytes join(Bytes a, Bytes b, std::uint8_t* stack, Grow grow) {
    if (b.len == 0) return a;
    if (a.len == 0) return b;
    std::uint8_t* dst = stack;
    if (a.len > kJoinedAadMax || b.len > kJoinedAadMax - a.len) {
      if (b.len > SIZE_MAX - a.len) throw std::bad_alloc();
      dst = grow(a.len + b.len);
    }
    std::memcpy(dst, a.data, a.len);
    std::memcpy(dst + a.len, b.data, b.len);
    return Bytes{dst, a.len + b.len};
  }

  static constexpr std::size_t kJoinedAadMax = 128;

  const IpsecMbGcm& fn_;
  gcm_key_data key_data_;  // 64-byte aligned type: the class is allocated with aligned new
};

}  // namespace

std::unique_ptr<AeadKey> make_ipsec_mb_gcm_key(const CipherSuite& suite, const std::uint8_t* key,
                                               GcmEngine engine) {
  const IpsecMbGcm* fn = functions_for(engine, suite.key_len);
  if (fn == nullptr || !gcm_engine_available(engine) || suite.tag_len > 16) return nullptr;
  return std::make_unique<IpsecMbGcmKey>(suite, *fn, key);
}

}  // namespace otc

#endif
