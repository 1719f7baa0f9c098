#include "cryptor_fixture.hpp"

#include <gtest/gtest.h>
#include <otc/testing/sframe.h>

#include <cstring>
#include <map>
#include <mutex>
#include <tuple>

namespace otc_test {

const int kAllSuites[5] = {
    OTC_CIPHER_SUITE_AES_128_CTR_HMAC_SHA256_80, OTC_CIPHER_SUITE_AES_128_CTR_HMAC_SHA256_64,
    OTC_CIPHER_SUITE_AES_128_CTR_HMAC_SHA256_32, OTC_CIPHER_SUITE_AES_128_GCM_SHA256_128,
    OTC_CIPHER_SUITE_AES_256_GCM_SHA512_128};

otc_status set_secret(const Cryptor& c, const char* secret) {
  return otc_frame_cryptor_set_encryption_secret(c.get(), reinterpret_cast<const std::uint8_t*>(secret),
                                                 std::strlen(secret));
}

Cryptor make_cryptor(int suite, const char* secret) {
  Cryptor c(otc_frame_cryptor_new(kSession, suite));
  if (!c) throw std::runtime_error("otc_frame_cryptor_new failed");
  if (secret != nullptr && set_secret(c, secret) != OTC_SUCCESS) throw std::runtime_error("set secret failed");
  return c;
}

Cryptor share(const Cryptor& other) {
  Cryptor c(otc_frame_cryptor_new_sharing_keys(other.get()));
  if (!c) throw std::runtime_error("otc_frame_cryptor_new_sharing_keys failed");
  return c;
}

Cryptor cached(int suite, int side, const char* secret) {
  static std::mutex mu;
  static std::map<std::tuple<int, int, std::string>, Cryptor> keyrings;
  std::lock_guard lock(mu);
  auto key = std::make_tuple(suite, side, std::string(secret));
  auto it = keyrings.find(key);
  if (it == keyrings.end()) it = keyrings.emplace(key, make_cryptor(suite, secret)).first;
  return share(it->second);
}

Outcome encrypt(const Cryptor& c, const Bytes& plaintext, const Bytes& metadata) {
  Bytes out(plaintext.size() + otc_frame_cryptor_max_overhead(c.get()));
  size_t out_len = 0;
  const otc_status st = otc_frame_cryptor_encrypt(c.get(), metadata.data(), metadata.size(), plaintext.data(),
                                                  plaintext.size(), out.data(), out.size(), &out_len);
  out.resize(st == OTC_SUCCESS ? out_len : 0);
  return {st, out};
}

Outcome decrypt(const Cryptor& c, const Bytes& frame, const Bytes& metadata) {
  Bytes out(frame.size());
  size_t out_len = 0;
  const otc_status st = otc_frame_cryptor_decrypt(c.get(), metadata.data(), metadata.size(), frame.data(),
                                                  frame.size(), out.data(), out.size(), &out_len);
  out.resize(st == OTC_SUCCESS ? out_len : 0);
  return {st, out};
}

otc_frame_cryptor_stats stats(const Cryptor& c) {
  otc_frame_cryptor_stats s = OTC_FRAME_CRYPTOR_STATS_INIT;
  EXPECT_EQ(otc_frame_cryptor_get_stats(c.get(), &s), OTC_SUCCESS);
  return s;
}

namespace {
void parse(const Bytes& frame, std::uint64_t* kid, std::uint64_t* ctr, size_t* len) {
  EXPECT_EQ(otc_sframe_header_decode(frame.data(), frame.size(), kid, ctr, len), OTC_SUCCESS);
}
}  // namespace

std::uint64_t frame_kid(const Bytes& frame) {
  std::uint64_t kid = 0, ctr = 0;
  size_t len = 0;
  parse(frame, &kid, &ctr, &len);
  return kid;
}

std::uint64_t frame_ctr(const Bytes& frame) {
  std::uint64_t kid = 0, ctr = 0;
  size_t len = 0;
  parse(frame, &kid, &ctr, &len);
  return ctr;
}

std::size_t frame_header_len(const Bytes& frame) {
  std::uint64_t kid = 0, ctr = 0;
  size_t len = 0;
  parse(frame, &kid, &ctr, &len);
  return len;
}

}  // namespace otc_test
