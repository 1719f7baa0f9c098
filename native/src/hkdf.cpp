#include "hkdf.hpp"

#include <openssl/core_names.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include <memory>

#include "crypto_engine.hpp"
#include "secure_bytes.hpp"

namespace otc {

namespace {

struct KdfCtxFree {
  void operator()(EVP_KDF_CTX* c) const { EVP_KDF_CTX_free(c); }
};

// OpenSSL takes octet-string parameters as void*; it copies them and never writes through them.
void* unconst(const std::uint8_t* p) { return const_cast<std::uint8_t*>(p); }

// A zero-length octet string still needs a non-NULL pointer for OSSL_PARAM to treat it as set.
const std::uint8_t kEmpty[1] = {0};

const std::uint8_t* or_empty(const std::uint8_t* p) { return p != nullptr ? p : kEmpty; }

bool run(HashAlg hash, int mode, const std::uint8_t* salt, std::size_t salt_len,
         const std::uint8_t* key, std::size_t key_len, const std::uint8_t* info,
         std::size_t info_len, std::uint8_t* out, std::size_t out_len) {
  const CryptoEngine& engine = crypto_engine();
  if (engine.hkdf == nullptr) return false;
  std::unique_ptr<EVP_KDF_CTX, KdfCtxFree> ctx(EVP_KDF_CTX_new(engine.hkdf));
  if (!ctx) return false;
  OSSL_PARAM params[6];
  std::size_t n = 0;
  params[n++] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST,
                                                 const_cast<char*>(hash_name(hash)), 0);
  params[n++] = OSSL_PARAM_construct_int(OSSL_KDF_PARAM_MODE, &mode);
  params[n++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, unconst(or_empty(key)), key_len);
  if (salt_len > 0) {
    params[n++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, unconst(salt), salt_len);
  }
  if (info_len > 0) {
    params[n++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, unconst(info), info_len);
  }
  params[n] = OSSL_PARAM_construct_end();
  return EVP_KDF_derive(ctx.get(), out, out_len, params) == 1;
}

}  // namespace

bool hkdf_extract(HashAlg hash, const std::uint8_t* salt, std::size_t salt_len,
                  const std::uint8_t* ikm, std::size_t ikm_len, std::uint8_t* prk) {
  return run(hash, EVP_KDF_HKDF_MODE_EXTRACT_ONLY, salt, salt_len, ikm, ikm_len, nullptr, 0, prk,
             hash_len(hash));
}

bool hkdf_expand(HashAlg hash, const std::uint8_t* prk, std::size_t prk_len,
                 const std::uint8_t* info, std::size_t info_len, std::uint8_t* okm,
                 std::size_t okm_len) {
  if (okm_len == 0 || okm_len > 255 * hash_len(hash)) return false;
  return run(hash, EVP_KDF_HKDF_MODE_EXPAND_ONLY, nullptr, 0, prk, prk_len, info, info_len, okm,
             okm_len);
}

bool hkdf(HashAlg hash, const std::uint8_t* salt, std::size_t salt_len, const std::uint8_t* ikm,
          std::size_t ikm_len, const std::uint8_t* info, std::size_t info_len, std::uint8_t* okm,
          std::size_t okm_len) {
  SecureBytes<64> prk;
  if (!hkdf_extract(hash, salt, salt_len, ikm, ikm_len, prk.data())) return false;
  return hkdf_expand(hash, prk.data(), hash_len(hash), info, info_len, okm, okm_len);
}

}  // namespace otc
