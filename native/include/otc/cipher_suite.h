/*
 * The SFrame cipher suites (RFC 9605 sec. 4.5) an otc_frame_cryptor can be created with, and
 * what they cost per frame. The SFrame layer underneath (keys by caller-chosen KID, protect and
 * unprotect with caller-chosen counters, the KDF steps) is not part of the shipped API: only the
 * library's own tests reach it (native/testing/include/otc/testing/sframe.h).
 */
#ifndef OTC_CIPHER_SUITE_H
#define OTC_CIPHER_SUITE_H

#include "config.h"

OTC_BEGIN_DECLS

typedef enum otc_cipher_suite {
  OTC_CIPHER_SUITE_AES_128_CTR_HMAC_SHA256_80 = 0x0001,
  OTC_CIPHER_SUITE_AES_128_CTR_HMAC_SHA256_64 = 0x0002,
  OTC_CIPHER_SUITE_AES_128_CTR_HMAC_SHA256_32 = 0x0003,
  OTC_CIPHER_SUITE_AES_128_GCM_SHA256_128 = 0x0004,
  OTC_CIPHER_SUITE_AES_256_GCM_SHA512_128 = 0x0005
} otc_cipher_suite;

#define OTC_CIPHER_SUITE_DEFAULT OTC_CIPHER_SUITE_AES_256_GCM_SHA512_128

/*
 * Largest SFrame header: 1 config byte + 8 KID bytes + 8 CTR bytes. A frame grows by at most this
 * plus the suite's tag (otc_frame_cryptor_max_overhead gives the sum for a cryptor).
 */
#define OTC_SFRAME_MAX_HEADER_SIZE 17

/* Authentication tag size of a suite in bytes (10, 8, 4, 16, 16); 0 for an unknown suite. */
OTC_API size_t otc_cipher_suite_tag_size(int cipher_suite);

/* "AES_256_GCM_SHA512_128" etc.; NULL for an unknown suite. */
OTC_API const char* otc_cipher_suite_name(int cipher_suite);

OTC_END_DECLS

#endif /* OTC_CIPHER_SUITE_H */
