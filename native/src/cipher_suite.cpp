#include "cipher_suite.hpp"

#include "otc/cipher_suite.h"

namespace otc {

namespace {

constexpr CipherSuite kSuites[] = {
    {OTC_CIPHER_SUITE_AES_128_CTR_HMAC_SHA256_80, "AES_128_CTR_HMAC_SHA256_80", HashAlg::kSha256, 48, kNonceLen, 10, false},
    {OTC_CIPHER_SUITE_AES_128_CTR_HMAC_SHA256_64, "AES_128_CTR_HMAC_SHA256_64", HashAlg::kSha256, 48, kNonceLen, 8, false},
    {OTC_CIPHER_SUITE_AES_128_CTR_HMAC_SHA256_32, "AES_128_CTR_HMAC_SHA256_32", HashAlg::kSha256, 48, kNonceLen, 4, false},
    {OTC_CIPHER_SUITE_AES_128_GCM_SHA256_128, "AES_128_GCM_SHA256_128", HashAlg::kSha256, 16, kNonceLen, 16, true},
    {OTC_CIPHER_SUITE_AES_256_GCM_SHA512_128, "AES_256_GCM_SHA512_128", HashAlg::kSha512, 32, kNonceLen, 16, true},
};

}  // namespace

const CipherSuite* find_cipher_suite(int id) {
  for (const CipherSuite& s : kSuites) {
    if (s.id == id) return &s;
  }
  return nullptr;
}

std::size_t hash_len(HashAlg hash) { return hash == HashAlg::kSha256 ? 32 : 64; }

const char* hash_name(HashAlg hash) { return hash == HashAlg::kSha256 ? "SHA256" : "SHA512"; }

}  // namespace otc

extern "C" size_t otc_cipher_suite_tag_size(int cipher_suite) {
  const otc::CipherSuite* s = otc::find_cipher_suite(cipher_suite);
  return s != nullptr ? s->tag_len : 0;
}

extern "C" const char* otc_cipher_suite_name(int cipher_suite) {
  const otc::CipherSuite* s = otc::find_cipher_suite(cipher_suite);
  return s != nullptr ? s->name : nullptr;
}
