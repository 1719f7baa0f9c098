// RAII wrapper and helpers around otc_frame_cryptor for the tests. Secrets cost ~0.1 s of scrypt
// each, so tests start from a few shared keyrings per suite and derive cheap cryptors from them.
#ifndef OTC_TEST_CRYPTOR_FIXTURE_HPP
#define OTC_TEST_CRYPTOR_FIXTURE_HPP

#include <otc/otc.h>

#include <memory>
#include <string>

#include "test_support.hpp"

namespace otc_test {

constexpr char kSession[] = "test-session";
constexpr char kSecretA[] = "first secret, alpha";
constexpr char kSecretB[] = "second secret, beta";

struct CryptorDeleter {
  void operator()(otc_frame_cryptor* c) const { otc_frame_cryptor_delete(c); }
};
using Cryptor = std::unique_ptr<otc_frame_cryptor, CryptorDeleter>;

Cryptor make_cryptor(int suite, const char* secret);  // fresh keyring (runs scrypt)
Cryptor share(const Cryptor& other);

// A cryptor on a keyring cached per (suite, side, secret): side 0 and 1 are independent keyrings
// holding the same secret, as two participants would.
Cryptor cached(int suite, int side, const char* secret = kSecretA);

otc_status set_secret(const Cryptor& c, const char* secret);

struct Outcome {
  otc_status status;
  Bytes data;
};

Outcome encrypt(const Cryptor& c, const Bytes& plaintext, const Bytes& metadata = {});
Outcome decrypt(const Cryptor& c, const Bytes& frame, const Bytes& metadata = {});
otc_frame_cryptor_stats stats(const Cryptor& c);

// KID and CTR from a frame's header (the test fails if it does not parse).
std::uint64_t frame_kid(const Bytes& frame);
std::uint64_t frame_ctr(const Bytes& frame);
std::size_t frame_header_len(const Bytes& frame);

extern const int kAllSuites[5];

}  // namespace otc_test

#endif
