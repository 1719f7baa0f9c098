// Test-only C API of otc/testing/sframe.h: the raw SFrame context, keys by KID chosen by the
// caller, over the SframeKey the frame cryptor uses. Built into the test build of the library only.
#include <cstdint>
#include <memory>
#include <unordered_map>

#include "c_api_guard.hpp"
#include "cipher_suite.hpp"
#include "open_status.hpp"
#include "otc/testing/sframe.h"
#include "sframe_key.hpp"

struct otc_sframe_context {
  explicit otc_sframe_context(const otc::CipherSuite& s) : suite(s) {}
  const otc::CipherSuite& suite;
  std::unordered_map<std::uint64_t, std::unique_ptr<otc::SframeKey>> keys;
};

namespace {

// A zero length with a NULL pointer is a valid empty buffer; NULL with a length is not.
bool valid_span(const void* p, std::size_t len) { return p != nullptr || len == 0; }

}  // namespace

extern "C" otc_sframe_context* otc_sframe_context_new(int cipher_suite) {
  return otc::guarded_or<otc_sframe_context*>(nullptr, [&]() -> otc_sframe_context* {
    const otc::CipherSuite* suite = otc::find_cipher_suite(cipher_suite);
    if (suite == nullptr) return nullptr;
    return new otc_sframe_context(*suite);
  });
}

extern "C" otc_status otc_sframe_context_delete(otc_sframe_context* ctx) {
  // Each SframeKey wipes its salt and the OpenSSL contexts wipe the key schedules.
  delete ctx;
  return OTC_SUCCESS;
}

extern "C" otc_status otc_sframe_context_add_key(otc_sframe_context* ctx, uint64_t kid,
                                                 const uint8_t* base_key, size_t base_key_len) {
  return otc::guarded([&] {
    if (ctx == nullptr || base_key == nullptr || base_key_len == 0) return OTC_ERR_INVALID_PARAM;
    std::unique_ptr<otc::SframeKey> key =
        otc::SframeKey::derive(ctx->suite, kid, base_key, base_key_len);
    if (!key) return OTC_ERR_FATAL;
    ctx->keys[kid] = std::move(key);
    return OTC_SUCCESS;
  });
}

extern "C" otc_status otc_sframe_context_remove_key(otc_sframe_context* ctx, uint64_t kid) {
  return otc::guarded([&] {
    if (ctx == nullptr) return OTC_ERR_INVALID_PARAM;
    return ctx->keys.erase(kid) == 1 ? OTC_SUCCESS : OTC_FRAME_UNKNOWN_KEY;
  });
}

extern "C" otc_status otc_sframe_protect(otc_sframe_context* ctx, uint64_t kid, uint64_t ctr,
                                         const uint8_t* metadata, size_t metadata_len,
                                         const uint8_t* plaintext, size_t plaintext_len,
                                         uint8_t* out, size_t out_capacity, size_t* out_len) {
  return otc::guarded([&] {
    if (ctx == nullptr || out == nullptr || out_len == nullptr ||
        !valid_span(metadata, metadata_len) || !valid_span(plaintext, plaintext_len)) {
      return OTC_ERR_INVALID_PARAM;
    }
    const std::size_t overhead = OTC_SFRAME_MAX_HEADER_SIZE + ctx->suite.tag_len;
    if (plaintext_len > SIZE_MAX - overhead || out_capacity < plaintext_len + overhead) {
      return OTC_ERR_BUFFER_TOO_SMALL;
    }
    auto it = ctx->keys.find(kid);
    if (it == ctx->keys.end()) return OTC_FRAME_UNKNOWN_KEY;
    if (!it->second->protect(ctr, otc::Bytes{metadata, metadata_len}, plaintext, plaintext_len,
                             out, out_len)) {
      return OTC_ERR_FATAL;
    }
    return OTC_SUCCESS;
  });
}

extern "C" otc_status otc_sframe_unprotect(otc_sframe_context* ctx, const uint8_t* metadata,
                                           size_t metadata_len, const uint8_t* frame,
                                           size_t frame_len, uint8_t* out, size_t out_capacity,
                                           size_t* out_len, uint64_t* kid, uint64_t* ctr) {
  return otc::guarded([&]() -> otc_status {
    if (ctx == nullptr || !valid_span(frame, frame_len) || out_len == nullptr ||
        !valid_span(metadata, metadata_len) || !valid_span(out, out_capacity)) {
      return OTC_ERR_INVALID_PARAM;
    }
    otc::ParsedFrame parsed{};
    bool header_ok = false;
    const bool complete = otc::parse_frame(ctx->suite, frame, frame_len, &parsed, &header_ok);
    if (header_ok) {
      if (kid != nullptr) *kid = parsed.kid;
      if (ctr != nullptr) *ctr = parsed.ctr;
    }
    if (!complete) return OTC_FRAME_MALFORMED;
    if (out_capacity < parsed.ciphertext_len) return OTC_ERR_BUFFER_TOO_SMALL;
    auto it = ctx->keys.find(parsed.kid);
    if (it == ctx->keys.end()) return OTC_FRAME_UNKNOWN_KEY;
    return open_status(it->second->unprotect(parsed, otc::Bytes{metadata, metadata_len}, out),
                       parsed.ciphertext_len, out_len);
  });
}
