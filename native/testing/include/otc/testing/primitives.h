/*
 * Test-only: the cryptographic primitives the core is built from, exposed to this SDK's own tests
 * so that they can be checked against standard vectors (Wycheproof, RFC 9605) and against the
 * independent Java implementation (java-api's differential tests). Only the test build of the
 * library (otc_testing, the static test archives) has them; the shipped libotc exports none
 * (CTest library.exports): AEAD with caller-chosen nonces has no place in an application.
 */
#ifndef OTC_TESTING_PRIMITIVES_H
#define OTC_TESTING_PRIMITIVES_H

#include "otc/config.h" /* native/include: this header lives apart, in testing/include */
#include "otc/errors.h"

OTC_BEGIN_DECLS

typedef enum otc_hash {
  OTC_HASH_SHA256 = 1,
  OTC_HASH_SHA512 = 2
} otc_hash;

/* HKDF-Extract (RFC 5869). prk_capacity >= hash length (32/64). */
OTC_API OTC_MUST_USE otc_status otc_hkdf_extract(int hash, const uint8_t* salt, size_t salt_len,
                                    const uint8_t* ikm, size_t ikm_len,
                                    uint8_t* prk, size_t prk_capacity, size_t* prk_len);

/* HKDF-Expand (RFC 5869); okm_len at most 255 * hash length, else OTC_ERR_INVALID_PARAM. */
OTC_API OTC_MUST_USE otc_status otc_hkdf_expand(int hash, const uint8_t* prk, size_t prk_len,
                                   const uint8_t* info, size_t info_len,
                                   uint8_t* okm, size_t okm_len);

/* HKDF = Extract then Expand. */
OTC_API OTC_MUST_USE otc_status otc_hkdf(int hash, const uint8_t* salt, size_t salt_len,
                            const uint8_t* ikm, size_t ikm_len,
                            const uint8_t* info, size_t info_len,
                            uint8_t* okm, size_t okm_len);

/*
 * One-shot AEAD of an SFrame cipher suite (RFC 9605 sec. 4.5): for the GCM suites key is Nk bytes
 * (16/32); for the AES-CTR-HMAC suites key is the 48-byte combined key the RFC's vectors use
 * (enc_key 16 || auth_key 32). nonce is 12 bytes. out = ciphertext || tag;
 * out_capacity >= plaintext_len + tag size.
 */
OTC_API OTC_MUST_USE otc_status otc_aead_seal(int cipher_suite, const uint8_t* key, size_t key_len,
                                 const uint8_t* nonce, size_t nonce_len,
                                 const uint8_t* aad, size_t aad_len,
                                 const uint8_t* plaintext, size_t plaintext_len,
                                 uint8_t* out, size_t out_capacity, size_t* out_len);

/* Inverse of seal; OTC_FRAME_AUTHENTICATION_FAILED when the tag does not verify (out untouched). */
OTC_API OTC_MUST_USE otc_status otc_aead_open(int cipher_suite, const uint8_t* key, size_t key_len,
                                 const uint8_t* nonce, size_t nonce_len,
                                 const uint8_t* aad, size_t aad_len,
                                 const uint8_t* ciphertext, size_t ciphertext_len,
                                 uint8_t* out, size_t out_capacity, size_t* out_len);

/*
 * The key schedule of docs/FORMAT.md, step by step, so that an independent implementation can
 * be compared byte for byte. All outputs are secret: callers wipe them.
 */

/* 32-byte master key = scrypt(secret, "otc-e2ee/1 master" || session_id, N=32768, r=8, p=1). Slow (~0.1 s). */
OTC_API OTC_MUST_USE otc_status otc_e2ee_derive_master_key(const char* session_id,
                                              const uint8_t* secret_utf8, size_t secret_len,
                                              uint8_t* master_out, size_t master_len);

/* 16-bit fingerprint of a master key (upper 16 bits of every KID under that secret). */
OTC_API OTC_MUST_USE otc_status otc_e2ee_master_key_fingerprint(const uint8_t* master, size_t master_len,
                                                   uint16_t* fingerprint_out);

/* 32-byte per-sender SFrame base_key for `kid` under `cipher_suite`. */
OTC_API OTC_MUST_USE otc_status otc_e2ee_derive_base_key(const uint8_t* master, size_t master_len,
                                            uint64_t kid, int cipher_suite,
                                            uint8_t* base_key_out, size_t base_key_len);

/* RFC 9605 sec. 4.4.2: sframe_key (Nk bytes) and sframe_salt (Nn = 12 bytes) for a base key. */
OTC_API OTC_MUST_USE otc_status otc_sframe_derive_key_and_salt(int cipher_suite, uint64_t kid,
                                                  const uint8_t* base_key, size_t base_key_len,
                                                  uint8_t* key_out, size_t key_capacity, size_t* key_len,
                                                  uint8_t* salt_out, size_t salt_len);

OTC_END_DECLS

#endif /* OTC_TESTING_PRIMITIVES_H */
