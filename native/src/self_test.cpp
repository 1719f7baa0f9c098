// Known-answer self test behind otc_e2ee_is_supported(): AES-GCM through the same prepared-key
// code the frame path uses, run once per process.
#include <cstring>
#include <mutex>

#include "aead.hpp"
#include "c_api_guard.hpp"
#include "cipher_suite.hpp"
#include "crypto_engine.hpp"
#include "otc/capabilities.h"
#include "otc/cipher_suite.h"

namespace {

// RFC 9605 appendix C, suite 0x0005 (AES_256_GCM_SHA512_128): sframe_key, nonce, aad
// (header || metadata), pt = "draft-ietf-sframe-enc", and ct || tag without the header.
constexpr std::uint8_t kKey[32] = {
    0xd3, 0xe2, 0x7b, 0x0d, 0x4a, 0x5a, 0xe9, 0xe5, 0x5d, 0xf0, 0x1a, 0x70, 0xe6, 0xd4, 0xd2, 0x8d,
    0x96, 0x9b, 0x24, 0x6e, 0x29, 0x36, 0xf4, 0xb7, 0xa5, 0xd9, 0xb4, 0x94, 0xda, 0x6b, 0x96, 0x33};
constexpr std::uint8_t kNonce[12] = {0x84, 0x99, 0x1c, 0x16, 0x7b, 0x8c,
                                     0xd2, 0x3c, 0x93, 0x70, 0xcb, 0xa0};
constexpr std::uint8_t kAad[19] = {0x99, 0x01, 0x23, 0x45, 0x67, 0x49, 0x45, 0x54, 0x46, 0x20,
                                   0x53, 0x46, 0x72, 0x61, 0x6d, 0x65, 0x20, 0x57, 0x47};
constexpr char kPlain[] = "draft-ietf-sframe-enc";
constexpr std::size_t kPlainLen = sizeof kPlain - 1;
constexpr std::uint8_t kSealed[kPlainLen + 16] = {
    0x94, 0xf5, 0x09, 0xd3, 0x6e, 0x9b, 0xea, 0xcb, 0x0e, 0x26, 0x1d, 0x99, 0xc7,
    0xd1, 0xe9, 0x72, 0xf1, 0xfe, 0xd7, 0x87, 0xd4, 0x04, 0x9f, 0x17, 0xca, 0x21,
    0x35, 0x3c, 0x1c, 0xc2, 0x4d, 0x56, 0xce, 0xab, 0xce, 0xd2, 0x79};

bool run_self_test() {
  if (!otc::crypto_engine().complete()) return false;
  const otc::CipherSuite* suite = otc::find_cipher_suite(OTC_CIPHER_SUITE_AES_256_GCM_SHA512_128);
  std::unique_ptr<otc::AeadKey> key = otc::AeadKey::create(*suite, kKey, sizeof kKey);
  if (!key) return false;
  const auto* plain = reinterpret_cast<const std::uint8_t*>(kPlain);
  std::uint8_t sealed[sizeof kSealed];
  if (!key->seal(kNonce, otc::Bytes{kAad, sizeof kAad}, otc::Bytes{nullptr, 0}, plain, kPlainLen,
                 sealed, sealed + kPlainLen) ||
      std::memcmp(sealed, kSealed, sizeof kSealed) != 0) {
    return false;
  }
  std::uint8_t opened[kPlainLen];
  if (key->open(kNonce, otc::Bytes{kAad, sizeof kAad}, otc::Bytes{nullptr, 0}, kSealed, kPlainLen,
                kSealed + kPlainLen, opened) != otc::OpenResult::kOk ||
      std::memcmp(opened, plain, kPlainLen) != 0) {
    return false;
  }
  // A flipped tag bit must be rejected, or the engine is not authenticating at all.
  std::uint8_t forged[sizeof kSealed];
  std::memcpy(forged, kSealed, sizeof forged);
  forged[sizeof forged - 1] ^= 0x01;
  return key->open(kNonce, otc::Bytes{kAad, sizeof kAad}, otc::Bytes{nullptr, 0}, forged,
                   kPlainLen, forged + kPlainLen, opened) == otc::OpenResult::kAuthenticationFailed;
}

}  // namespace

extern "C" otc_bool otc_e2ee_is_supported(void) {
  static std::once_flag once;
  static bool supported = false;
  return otc::guarded_or<otc_bool>(OTC_FALSE, [] {
    std::call_once(once, [] { supported = run_self_test(); });
    return supported ? OTC_TRUE : OTC_FALSE;
  });
}
