// The per-frame path allocates nothing once a sender is set up (docs/ARCHITECTURE.md sec. 3): counted
// for C++ allocations (operator new replaced in this binary) and for libcrypto's own (the core
// links libcrypto statically here, so CRYPTO_set_mem_functions sees every OpenSSL allocation).
#include <gtest/gtest.h>
#include <openssl/crypto.h>
#include <otc/otc.h>

#include <atomic>
#include <cstdlib>
#include <new>

#include "cryptor_fixture.hpp"

namespace {

std::atomic<bool> counting{false};
std::atomic<long> cxx_allocations{0};
std::atomic<long> openssl_allocations{0};

void* counted_malloc(std::size_t n, const char*, int) {
  if (counting.load()) openssl_allocations.fetch_add(1);
  return std::malloc(n);
}
void* counted_realloc(void* p, std::size_t n, const char*, int) {
  if (counting.load()) openssl_allocations.fetch_add(1);
  return std::realloc(p, n);
}
void counted_free(void* p, const char*, int) { std::free(p); }

// Must run before OpenSSL allocates anything, i.e. during static initialisation.
const bool hooks_installed = CRYPTO_set_mem_functions(counted_malloc, counted_realloc, counted_free) == 1;

}  // namespace

// The replacement pair is malloc/free on purpose; GCC cannot see that operator new is replaced
// too and flags the free as mismatched once it inlines both.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

void* operator new(std::size_t n) {
  if (counting.load()) cxx_allocations.fetch_add(1);
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace {

using namespace otc_test;

struct Counts {
  long cxx;
  long openssl;
};

Counts steady_state_allocations(int suite) {
  const Cryptor sender = cached(suite, 0);
  const Cryptor receiver = cached(suite, 1);
  const Bytes plain = pattern(1200), metadata = pattern(24, 1);
  Bytes frame(plain.size() + otc_frame_cryptor_max_overhead(sender.get()));
  Bytes out(plain.size());
  size_t len = 0;
  auto one_frame = [&] {
    EXPECT_EQ(otc_frame_cryptor_encrypt(sender.get(), metadata.data(), metadata.size(), plain.data(), plain.size(),
                                        frame.data(), frame.size(), &len),
              OTC_SUCCESS);
    EXPECT_EQ(otc_frame_cryptor_decrypt(receiver.get(), metadata.data(), metadata.size(), frame.data(), len,
                                        out.data(), out.size(), &len),
              OTC_SUCCESS);
  };
  // The first frames set up the sender key, admit the sender and grow the scratch buffer.
  for (int i = 0; i < 3; ++i) one_frame();
  cxx_allocations = 0;
  openssl_allocations = 0;
  counting = true;
  for (int i = 0; i < 100; ++i) one_frame();
  counting = false;
  EXPECT_EQ(out, plain);
  return {cxx_allocations.load(), openssl_allocations.load()};
}

// Positive control: the counters do see allocations of both kinds (creating a cryptor and its
// first sender key allocates), so the zero counts below mean something.
TEST(NoAllocation, CountersSeeAllocations) {
  ASSERT_TRUE(hooks_installed);
  const Cryptor keyring = cached(OTC_CIPHER_SUITE_DEFAULT, 0);
  const Bytes plain = pattern(10);
  Bytes frame(plain.size() + 33);
  size_t len = 0;
  cxx_allocations = 0;
  openssl_allocations = 0;
  counting = true;
  const Cryptor fresh = share(keyring);
  const otc_status st = otc_frame_cryptor_encrypt(fresh.get(), nullptr, 0, plain.data(), plain.size(), frame.data(),
                                                  frame.size(), &len);
  counting = false;
  ASSERT_EQ(st, OTC_SUCCESS);
  EXPECT_GT(cxx_allocations.load(), 0);
  EXPECT_GT(openssl_allocations.load(), 0);
}

TEST(NoAllocation, GcmSuitesAllocateNothingPerFrame) {
  ASSERT_TRUE(hooks_installed);
  for (int suite : {OTC_CIPHER_SUITE_AES_128_GCM_SHA256_128, OTC_CIPHER_SUITE_AES_256_GCM_SHA512_128}) {
    SCOPED_TRACE(otc_cipher_suite_name(suite));
    const Counts c = steady_state_allocations(suite);
    EXPECT_EQ(c.cxx, 0);
    EXPECT_EQ(c.openssl, 0);
  }
}

TEST(NoAllocation, CtrHmacSuitesAllocateOnlyInsideOpenSslHmac) {
  ASSERT_TRUE(hooks_installed);
  const Counts c = steady_state_allocations(OTC_CIPHER_SUITE_AES_128_CTR_HMAC_SHA256_80);
  // Our code allocates nothing; OpenSSL 3.0 re-initialising an HMAC duplicates the digest state.
  EXPECT_EQ(c.cxx, 0);
  EXPECT_GT(c.openssl, 0) << "OpenSSL no longer allocates here: update the README's design note";
}

}  // namespace
