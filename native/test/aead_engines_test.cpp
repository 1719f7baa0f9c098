// Cross-engine differential test of the AES-GCM suites: every ipsec-mb variant this CPU runs must
// produce byte-identical ciphertext and tags to OpenSSL for random keys, nonces, AAD of 0..256
// bytes (split at random between header and metadata, as the frame path feeds it) and payloads
// of 0..256 KiB around the 16-byte block and the engines' internal batch sizes; every tampered
// frame (one bit of ciphertext, tag, AAD or nonce flipped) must be refused by every engine with
// the output buffer left untouched; and no engine may read or write outside its buffers.
#include <gtest/gtest.h>
#include <otc/otc.h>
#if defined(_WIN32)
#include <windows.h>
#else
#include <sys/mman.h>
#include <unistd.h>
#endif

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "aead.hpp"
#include "cipher_suite.hpp"
#include "gcm_engine.hpp"
#include "test_support.hpp"

namespace {

using otc::GcmEngine;
using otc_test::Bytes;
using otc_test::to_hex;

const char* name_of(GcmEngine e) {
  switch (e) {
    case GcmEngine::kOpenSsl:
      return "openssl";
    case GcmEngine::kIpsecMbSse:
      return "ipsec-mb sse";
    case GcmEngine::kIpsecMbAvx2:
      return "ipsec-mb avx2";
    case GcmEngine::kIpsecMbVaesAvx512:
      return "ipsec-mb avx512";
  }
  return "?";
}

std::vector<GcmEngine> available_engines() {
  std::vector<GcmEngine> engines;
  for (GcmEngine e : {GcmEngine::kOpenSsl, GcmEngine::kIpsecMbSse, GcmEngine::kIpsecMbAvx2,
                      GcmEngine::kIpsecMbVaesAvx512}) {
    if (otc::gcm_engine_available(e)) engines.push_back(e);
  }
  return engines;
}

// Around the AES block, the 4/8/16/48-block strides of the SSE, AVX2 and AVX-512 code (64, 128,
// 256 and 768 bytes), page-sized and large buffers, up to 256 KiB.
std::vector<std::size_t> payload_sizes() {
  std::vector<std::size_t> sizes;
  for (std::size_t base : {16, 32, 48, 64, 128, 256, 512, 768, 1024, 1536, 2048, 4096, 8192, 16384,
                           32768, 65536, 131072, 262144}) {
    sizes.push_back(base - 1);
    sizes.push_back(base);
    if (base < 262144) sizes.push_back(base + 1);
  }
  sizes.insert(sizes.begin(), {0, 1, 2, 7, 8, 9});
  sizes.push_back(1200);  // a typical video packet
  return sizes;
}

const std::size_t kAadLens[] = {0, 1, 12, 15, 16, 17, 31, 32, 33, 64, 127, 128, 129, 200, 255, 256};

struct Frame {
  Bytes nonce, aad, pt;
  std::size_t split;  // aad[0, split) goes in as the header, the rest as metadata
};

bool seal(otc::AeadKey& key, const Frame& f, Bytes* sealed) {
  sealed->assign(f.pt.size() + 16, 0);
  return key.seal(f.nonce.data(), otc::Bytes{f.aad.data(), f.split},
                  otc::Bytes{f.aad.data() + f.split, f.aad.size() - f.split}, f.pt.data(), f.pt.size(),
                  sealed->data(), sealed->data() + f.pt.size());
}

otc::OpenResult open(otc::AeadKey& key, const Frame& f, const Bytes& sealed, Bytes* out) {
  const std::size_t ct_len = sealed.size() - 16;
  return key.open(f.nonce.data(), otc::Bytes{f.aad.data(), f.split},
                  otc::Bytes{f.aad.data() + f.split, f.aad.size() - f.split}, sealed.data(), ct_len,
                  sealed.data() + ct_len, out->data());
}

class AeadEngines : public ::testing::TestWithParam<int> {};

TEST_P(AeadEngines, IdenticalOutputAndEveryTamperedFrameRefused) {
  const otc::CipherSuite& suite = *otc::find_cipher_suite(GetParam());
  const std::vector<GcmEngine> engines = available_engines();
  ASSERT_EQ(engines.front(), GcmEngine::kOpenSsl);
#if defined(OTC_WITH_IPSEC_MB) && defined(__x86_64__)
  // CTest's capabilities tests pin down which variants this CPU gets; here at least one must be
  // compared, or the test would pass vacuously (unless AES-NI is masked off for OpenSSL).
  if (std::getenv("OPENSSL_ia32cap") == nullptr && __builtin_cpu_supports("aes")) {
    ASSERT_GE(engines.size(), 2u);
  }
#endif
  std::mt19937_64 rng(0x6f74632d67636dULL + suite.id);  // fixed: failures reproduce
  const auto random_bytes = [&](std::size_t n) {
    Bytes b(n);
    for (auto& x : b) x = static_cast<std::uint8_t>(rng());
    return b;
  };
  std::size_t cases = 0;
  for (int key_round = 0; key_round < 2; ++key_round) {
    const Bytes key_bytes = random_bytes(suite.key_len);
    std::vector<std::unique_ptr<otc::AeadKey>> keys;
    for (GcmEngine e : engines) {
      keys.push_back(otc::make_gcm_key(suite, key_bytes.data(), e));
      ASSERT_NE(keys.back(), nullptr) << name_of(e);
    }
    for (std::size_t size : payload_sizes()) {
      for (std::size_t aad_len : kAadLens) {
        Frame f{random_bytes(12), random_bytes(aad_len), random_bytes(size), 0};
        f.split = aad_len == 0 ? 0 : static_cast<std::size_t>(rng() % (aad_len + 1));
        SCOPED_TRACE("key " + std::to_string(key_round) + " size " + std::to_string(size) + " aad " +
                     std::to_string(aad_len) + " split " + std::to_string(f.split));
        ++cases;

        Bytes reference;
        ASSERT_TRUE(seal(*keys[0], f, &reference));
        for (std::size_t i = 0; i < engines.size(); ++i) {
          SCOPED_TRACE(name_of(engines[i]));
          Bytes sealed;
          ASSERT_TRUE(seal(*keys[i], f, &sealed));
          // Hex only on mismatch: formatting 256 KiB per comparison would dominate the run time.
          if (sealed != reference) {
            FAIL() << "sealed differs from OpenSSL; first 64 bytes " << to_hex(Bytes(sealed.begin(), sealed.begin() + std::min<std::ptrdiff_t>(64, sealed.size())));
          }
          Bytes opened(size, 0xEE);
          ASSERT_EQ(open(*keys[i], f, reference, &opened), otc::OpenResult::kOk);
          ASSERT_TRUE(opened == f.pt);
        }

        // One tampered variant of each input, each with a random bit flipped.
        struct Tamper {
          const char* what;
          Frame frame;
          Bytes sealed;
        };
        std::vector<Tamper> tampered;
        const auto flip = [&](Bytes& b, std::size_t from, std::size_t len) {
          b[from + rng() % len] ^= static_cast<std::uint8_t>(1u << (rng() % 8));
        };
        if (size > 0) {
          tampered.push_back({"ciphertext", f, reference});
          flip(tampered.back().sealed, 0, size);
        }
        tampered.push_back({"tag", f, reference});
        flip(tampered.back().sealed, size, 16);
        if (aad_len > 0) {
          tampered.push_back({"aad", f, reference});
          flip(tampered.back().frame.aad, 0, aad_len);
        }
        tampered.push_back({"nonce", f, reference});
        flip(tampered.back().frame.nonce, 0, 12);
        for (const Tamper& t : tampered) {
          SCOPED_TRACE(t.what);
          for (std::size_t i = 0; i < engines.size(); ++i) {
            SCOPED_TRACE(name_of(engines[i]));
            Bytes out(size, 0xEE);
            ASSERT_EQ(open(*keys[i], t.frame, t.sealed, &out), otc::OpenResult::kAuthenticationFailed);
            ASSERT_TRUE(out == Bytes(size, 0xEE)) << "a refused frame wrote to the output";
          }
        }
      }
    }
  }
  EXPECT_EQ(cases, 2 * payload_sizes().size() * (sizeof kAadLens / sizeof kAadLens[0]));
}

INSTANTIATE_TEST_SUITE_P(GcmSuites, AeadEngines,
                         ::testing::Values(OTC_CIPHER_SUITE_AES_128_GCM_SHA256_128,
                                           OTC_CIPHER_SUITE_AES_256_GCM_SHA512_128),
                         [](const ::testing::TestParamInfo<int>& param) {
                           return std::string(otc_cipher_suite_name(param.param));
                         });

// Page-granular memory with an inaccessible page, on POSIX (mmap/mprotect) and Windows (VirtualAlloc).
std::size_t page_size() {
#if defined(_WIN32)
  SYSTEM_INFO info;
  GetSystemInfo(&info);
  return info.dwPageSize;
#else
  return static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
#endif
}

std::uint8_t* map_pages(std::size_t len) {
#if defined(_WIN32)
  void* m = VirtualAlloc(nullptr, len, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
  if (m == nullptr) throw std::bad_alloc();
#else
  void* m = mmap(nullptr, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (m == MAP_FAILED) throw std::bad_alloc();
#endif
  return static_cast<std::uint8_t*>(m);
}

bool protect_none(std::uint8_t* page, std::size_t len) {
#if defined(_WIN32)
  DWORD old = 0;
  return VirtualProtect(page, len, PAGE_NOACCESS, &old) != 0;
#else
  return mprotect(page, len, PROT_NONE) == 0;
#endif
}

void unmap_pages(std::uint8_t* base, std::size_t len) {
#if defined(_WIN32)
  (void)len;
  VirtualFree(base, 0, MEM_RELEASE);
#else
  munmap(base, len);
#endif
}

// Bytes placed flush against an inaccessible page, before or after them: an engine that reads or
// writes one byte outside its buffers faults here. The assembly of ipsec-mb (partial blocks are
// loaded with masks or byte loops) is invisible to AddressSanitizer, so this is its bounds check.
class Guarded {
 public:
  enum Side { kGuardAfter, kGuardBefore };
  Guarded(const Bytes& content, Side side) : len_(content.size()) {
    page_ = page_size();
    const std::size_t data_pages = (len_ + page_ - 1) / page_ + 1;
    map_len_ = (data_pages + 1) * page_;
    base_ = map_pages(map_len_);
    std::uint8_t* guard = side == kGuardAfter ? base_ + data_pages * page_ : base_;
    if (!protect_none(guard, page_)) {
      unmap_pages(base_, map_len_);
      throw std::runtime_error("protecting the guard page failed");
    }
    data_ = side == kGuardAfter ? guard - len_ : base_ + page_;
    if (len_ > 0) std::memcpy(data_, content.data(), len_);
  }
  ~Guarded() { unmap_pages(base_, map_len_); }
  Guarded(const Guarded&) = delete;
  Guarded& operator=(const Guarded&) = delete;

  std::uint8_t* data() const { return data_; }
  Bytes bytes() const { return Bytes(data_, data_ + len_); }

 private:
  std::size_t len_, page_ = 0, map_len_ = 0;
  std::uint8_t* base_ = nullptr;
  std::uint8_t* data_ = nullptr;
};

TEST(AeadEngines, NoEngineTouchesABytePastItsBuffers) {
  std::mt19937_64 rng(42);
  const auto random_bytes = [&](std::size_t n) {
    Bytes b(n);
    for (auto& x : b) x = static_cast<std::uint8_t>(rng());
    return b;
  };
  std::vector<std::size_t> sizes;
  for (std::size_t n = 0; n <= 80; ++n) sizes.push_back(n);
  for (std::size_t n : {127, 128, 129, 255, 256, 257, 767, 768, 769, 4095, 4096, 4097}) sizes.push_back(n);
  for (int suite_id : {OTC_CIPHER_SUITE_AES_128_GCM_SHA256_128, OTC_CIPHER_SUITE_AES_256_GCM_SHA512_128}) {
    const otc::CipherSuite& suite = *otc::find_cipher_suite(suite_id);
    const Guarded key_bytes(random_bytes(suite.key_len), Guarded::kGuardAfter);
    for (GcmEngine e : available_engines()) {
      SCOPED_TRACE(std::string(suite.name) + " " + name_of(e));
      const std::unique_ptr<otc::AeadKey> key = otc::make_gcm_key(suite, key_bytes.data(), e);
      const std::unique_ptr<otc::AeadKey> reference =
          otc::make_gcm_key(suite, key_bytes.data(), GcmEngine::kOpenSsl);
      ASSERT_NE(key, nullptr);
      for (std::size_t size : sizes) {
        for (Guarded::Side side : {Guarded::kGuardAfter, Guarded::kGuardBefore}) {
          SCOPED_TRACE("size " + std::to_string(size) + (side == Guarded::kGuardAfter ? " guard after" : " guard before"));
          const std::size_t aad_len = size % 41;
          const Guarded nonce(random_bytes(12), side), aad(random_bytes(aad_len), side);
          const Guarded pt(random_bytes(size), side), ct(Bytes(size, 0), side), tag(Bytes(16, 0), side);
          ASSERT_TRUE(key->seal(nonce.data(), otc::Bytes{aad.data(), aad_len}, otc::Bytes{nullptr, 0}, pt.data(),
                                size, ct.data(), tag.data()));
          Bytes expected(size + 16);
          ASSERT_TRUE(reference->seal(nonce.data(), otc::Bytes{aad.data(), aad_len}, otc::Bytes{nullptr, 0},
                                      pt.data(), size, expected.data(), expected.data() + size));
          Bytes got = ct.bytes();
          const Bytes got_tag = tag.bytes();
          got.insert(got.end(), got_tag.begin(), got_tag.end());
          ASSERT_TRUE(got == expected);
          const Guarded out(Bytes(size, 0), side);
          ASSERT_EQ(key->open(nonce.data(), otc::Bytes{aad.data(), aad_len}, otc::Bytes{nullptr, 0}, ct.data(),
                              size, tag.data(), out.data()),
                    otc::OpenResult::kOk);
          ASSERT_TRUE(out.bytes() == pt.bytes());
        }
      }
    }
  }
}

// Keys for an engine this build or CPU cannot run are refused, not silently served by another.
TEST(AeadEngines, UnavailableEngineGivesNoKey) {
  const otc::CipherSuite& suite = *otc::find_cipher_suite(OTC_CIPHER_SUITE_AES_256_GCM_SHA512_128);
  const Bytes key(32, 7);
  for (GcmEngine e : {GcmEngine::kIpsecMbSse, GcmEngine::kIpsecMbAvx2, GcmEngine::kIpsecMbVaesAvx512}) {
    SCOPED_TRACE(name_of(e));
    EXPECT_EQ(otc::make_gcm_key(suite, key.data(), e) != nullptr, otc::gcm_engine_available(e));
  }
  EXPECT_NE(otc::make_gcm_key(suite, key.data(), GcmEngine::kOpenSsl), nullptr);
}

}  // namespace
