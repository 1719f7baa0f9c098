/*
 * Test-only: the raw SFrame (RFC 9605) layer under otc_frame_cryptor, for this SDK's own tests
 * (RFC 9605 vectors, the Java differential tests, the fuzzers). Only the test build of the library
 * (otc_testing, the static test archives) has these functions; the shipped libotc exports none of
 * them (CTest library.exports), because a caller choosing KIDs and counters can reuse a nonce.
 * Applications use otc_frame_cryptor (frame_cryptor.h), which chooses both itself.
 *
 * Low-level SFrame context: keys by KID, protect and unprotect into caller-owned buffers. The
 * caller chooses KIDs and counters and is responsible for never reusing a (KID, CTR) pair.
 *
 * Per frame there is no allocation and no cipher-context creation: each key holds a prepared
 * context and only the nonce changes. A context is not thread-safe; use one per thread or lock.
 */
#ifndef OTC_TESTING_SFRAME_H
#define OTC_TESTING_SFRAME_H

#include "otc/cipher_suite.h" /* native/include: this header lives apart, in testing/include */
#include "otc/config.h"
#include "otc/errors.h"

OTC_BEGIN_DECLS

/*
 * Largest number of bytes protect adds to a plaintext: max header + tag; 0 for an unknown suite.
 * (Applications size buffers with otc_frame_cryptor_max_overhead.)
 */
OTC_API size_t otc_sframe_max_overhead(int cipher_suite);

/* Encodes an SFrame header (RFC 9605 sec. 4.3, shortest form). */
OTC_API OTC_MUST_USE otc_status otc_sframe_header_encode(uint64_t kid, uint64_t ctr,
                                            uint8_t* out, size_t out_capacity, size_t* out_len);

/* Parses an SFrame header at the start of `in`; OTC_FRAME_MALFORMED when truncated. */
OTC_API OTC_MUST_USE otc_status otc_sframe_header_decode(const uint8_t* in, size_t in_len,
                                            uint64_t* kid, uint64_t* ctr, size_t* header_len);

typedef struct otc_sframe_context otc_sframe_context;

/* NULL for an unknown suite or when out of memory. */
OTC_API otc_sframe_context* otc_sframe_context_new(int cipher_suite);

/* Wipes all keys and frees. OTC_SUCCESS; NULL is a no-op. */
OTC_API otc_status otc_sframe_context_delete(otc_sframe_context* ctx);

/*
 * Installs (or replaces) the key for `kid`, derived from `base_key` with the RFC 9605 key schedule
 * (sec. 4.4.2). The base key is not retained.
 */
OTC_API OTC_MUST_USE otc_status otc_sframe_context_add_key(otc_sframe_context* ctx, uint64_t kid,
                                              const uint8_t* base_key, size_t base_key_len);

/* Wipes and removes the key for `kid`; OTC_FRAME_UNKNOWN_KEY if there is none. */
OTC_API OTC_MUST_USE otc_status otc_sframe_context_remove_key(otc_sframe_context* ctx, uint64_t kid);

/*
 * out = header(kid, ctr) || AEAD(plaintext) || tag, with AAD = header || metadata.
 * out_capacity must be at least plaintext_len + otc_sframe_max_overhead(suite), else
 * OTC_ERR_BUFFER_TOO_SMALL. `out` must not overlap `plaintext`. A zero length with a NULL
 * pointer is allowed for metadata and plaintext.
 */
OTC_API OTC_MUST_USE otc_status otc_sframe_protect(otc_sframe_context* ctx, uint64_t kid, uint64_t ctr,
                                      const uint8_t* metadata, size_t metadata_len,
                                      const uint8_t* plaintext, size_t plaintext_len,
                                      uint8_t* out, size_t out_capacity, size_t* out_len);

/*
 * Inverse of protect. Outcomes: OTC_SUCCESS, OTC_FRAME_MALFORMED, OTC_FRAME_UNKNOWN_KEY,
 * OTC_FRAME_AUTHENTICATION_FAILED, OTC_ERR_BUFFER_TOO_SMALL (capacity below the plaintext size,
 * checked before any decryption). No replay check at this layer. Nothing is written to `out`
 * unless authentication succeeds. If kid/ctr are non-NULL they receive the header's values
 * whenever the header parsed.
 */
OTC_API OTC_MUST_USE otc_status otc_sframe_unprotect(otc_sframe_context* ctx,
                                        const uint8_t* metadata, size_t metadata_len,
                                        const uint8_t* frame, size_t frame_len,
                                        uint8_t* out, size_t out_capacity, size_t* out_len,
                                        uint64_t* kid, uint64_t* ctr);

OTC_END_DECLS

#endif /* OTC_TESTING_SFRAME_H */
