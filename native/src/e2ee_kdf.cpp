#include "e2ee_kdf.hpp"

#include <openssl/core_names.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include <cstring>
#include <memory>
#include <vector>

#include "crypto_engine.hpp"
#include "hkdf.hpp"

namespace otc {

namespace {

constexpr char kMasterLabel[] = "otc-e2ee/1 master";
constexpr char kFingerprintLabel[] = "otc-e2ee/1 fingerprint";
constexpr char kSenderLabel[] = "otc-e2ee/1 sender";

constexpr std::uint64_t kScryptN = 32768;
constexpr std::uint32_t kScryptR = 8;
constexpr std::uint32_t kScryptP = 1;
// scrypt needs 128 * r * N = 32 MiB; OpenSSL's default cap would refuse it.
constexpr std::uint64_t kScryptMaxMem = 64ull * 1024 * 1024;

struct KdfCtxFree {
  void operator()(EVP_KDF_CTX* c) const { EVP_KDF_CTX_free(c); }
};

const std::uint8_t* label_bytes(const char* s) { return reinterpret_cast<const std::uint8_t*>(s); }

}  // namespace

bool derive_master_key(const char* session_id, std::size_t session_id_len,
                       const std::uint8_t* secret, std::size_t secret_len, std::uint8_t* master) {
  const CryptoEngine& engine = crypto_engine();
  if (engine.scrypt == nullptr) return false;
  std::unique_ptr<EVP_KDF_CTX, KdfCtxFree> ctx(EVP_KDF_CTX_new(engine.scrypt));
  if (!ctx) return false;
  // The salt is public (label and session id), so an ordinary vector is fine here.
  std::vector<std::uint8_t> salt(sizeof kMasterLabel - 1 + session_id_len);
  std::memcpy(salt.data(), kMasterLabel, sizeof kMasterLabel - 1);
  std::memcpy(salt.data() + sizeof kMasterLabel - 1, session_id, session_id_len);
  std::uint64_t n = kScryptN;
  std::uint32_t r = kScryptR;
  std::uint32_t p = kScryptP;
  std::uint64_t maxmem = kScryptMaxMem;
  const OSSL_PARAM params[] = {
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_PASSWORD,
                                        const_cast<std::uint8_t*>(secret), secret_len),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, salt.data(), salt.size()),
      OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_N, &n),
      OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_R, &r),
      OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_P, &p),
      OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_MAXMEM, &maxmem),
      OSSL_PARAM_construct_end(),
  };
  return EVP_KDF_derive(ctx.get(), master, kMasterKeyLen, params) == 1;
}

bool master_key_fingerprint(const std::uint8_t* master, std::uint16_t* fingerprint) {
  std::uint8_t f[2];
  if (!hkdf(HashAlg::kSha256, label_bytes(kFingerprintLabel), sizeof kFingerprintLabel - 1, master,
            kMasterKeyLen, nullptr, 0, f, sizeof f)) {
    return false;
  }
  *fingerprint = static_cast<std::uint16_t>((f[0] << 8) | f[1]);
  return true;
}

bool derive_base_key(const std::uint8_t* master, std::uint64_t kid, std::uint16_t suite_id,
                     std::uint8_t* base_key) {
  std::uint8_t info[10];
  for (int i = 0; i < 8; ++i) info[i] = static_cast<std::uint8_t>(kid >> (56 - 8 * i));
  info[8] = static_cast<std::uint8_t>(suite_id >> 8);
  info[9] = static_cast<std::uint8_t>(suite_id);
  return hkdf(HashAlg::kSha256, label_bytes(kSenderLabel), sizeof kSenderLabel - 1, master,
              kMasterKeyLen, info, sizeof info, base_key, kBaseKeyLen);
}

}  // namespace otc
