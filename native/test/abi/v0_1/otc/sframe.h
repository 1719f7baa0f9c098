/*
 * Low-level SFrame (RFC 9605) context: keys by KID, protect and unprotect into caller-owned
 * buffers. The caller chooses KIDs and counters and is responsible for never reusing a
 * (KID, CTR) pair; applications that want that handled use otc_frame_cryptor (frame_cryptor.h).
 *
 * Per frame there is no allocation and no cipher-context creation: each key holds a prepared
 * context and only the nonce changes. A context is not thread-safe; use one per thread or lock.
 */
#ifndef OTC_SFRAME_H
#define OTC_SFRAME_H

#include "config.h"
#include "errors.h"

OTC_BEGIN_DECLS

typedef enum otc_cipher_suite {
  OTC_CIPHER_SUITE_AES_128_CTR_HMAC_SHA256_80 = 0x0001,
  OTC_CIPHER_SUITE_AES_128_CTR_HMAC_SHA256_64 = 0x0002,
  OTC_CIPHER_SUITE_AES_128_CTR_HMAC_SHA256_32 = 0x0003,
  OTC_CIPHER_SUITE_AES_128_GCM_SHA256_128 = 0x0004,
  OTC_CIPHER_SUITE_AES_256_GCM_SHA512_128 = 0x0005
} otc_cipher_suite;

#define OTC_CIPHER_SUITE_DEFAULT OTC_CIPHER_SUITE_AES_256_GCM_SHA512_128

/* Largest SFrame header: 1 config byte + 8 KID bytes + 8 CTR bytes. */
#define OTC_SFRAME_MAX_HEADER_SIZE 17

/* Authentication tag size of a suite in bytes (10, 8, 4, 16, 16); 0 for an unknown suite. */
OTC_API size_t otc_cipher_suite_tag_size(int cipher_suite);

/* Largest number of bytes protect adds to a plaintext: max header + tag; 0 for an unknown suite. */
OTC_API size_t otc_sframe_max_overhead(int cipher_suite);

/* "AES_256_GCM_SHA512_128" etc.; NULL for an unknown suite. */
OTC_API const char* otc_cipher_suite_name(int cipher_suite);

/* Encodes an SFrame header (RFC 9605 sec. 4.3, shortest form). */
OTC_API otc_status otc_sframe_header_encode(uint64_t kid, uint64_t ctr,
                                            uint8_t* out, size_t out_capacity, size_t* out_len);

/* Parses an SFrame header at the start of `in`; OTC_FRAME_MALFORMED when truncated. */
OTC_API otc_status otc_sframe_header_decode(const uint8_t* in, size_t in_len,
                                            uint64_t* kid, uint64_t* ctr, size_t* header_len);

typedef struct otc_sframe_context otc_sframe_context;

/* NULL for an unknown suite or when out of memory. */
OTC_API otc_sframe_context* otc_sframe_context_new(int cipher_suite);

/* Wipes all keys and frees. NULL is a no-op. */
OTC_API void otc_sframe_context_delete(otc_sframe_context* ctx);

/*
 * Installs (or replaces) the key for `kid`, derived from `base_key` with the RFC 9605 key schedule
 * (sec. 4.4.2). The base key is not retained.
 */
OTC_API otc_status otc_sframe_context_add_key(otc_sframe_context* ctx, uint64_t kid,
                                              const uint8_t* base_key, size_t base_key_len);

/* Wipes and removes the key for `kid`; OTC_FRAME_UNKNOWN_KEY if there is none. */
OTC_API otc_status otc_sframe_context_remove_key(otc_sframe_context* ctx, uint64_t kid);

/*
 * out = header(kid, ctr) || AEAD(plaintext) || tag, with AAD = header || metadata.
 * out_capacity must be at least plaintext_len + otc_sframe_max_overhead(suite), else
 * OTC_ERR_BUFFER_TOO_SMALL. `out` must not overlap `plaintext`. A zero length with a NULL
 * pointer is allowed for metadata and plaintext.
 */
OTC_API otc_status otc_sframe_protect(otc_sframe_context* ctx, uint64_t kid, uint64_t ctr,
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
OTC_API otc_status otc_sframe_unprotect(otc_sframe_context* ctx,
                                        const uint8_t* metadata, size_t metadata_len,
                                        const uint8_t* frame, size_t frame_len,
                                        uint8_t* out, size_t out_capacity, size_t* out_len,
                                        uint64_t* kid, uint64_t* ctr);

OTC_END_DECLS

#endif /* OTC_SFRAME_H */
