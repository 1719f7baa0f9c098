/* Validation of encryption secrets, usable before any session exists. */
#ifndef OTC_SECRET_H
#define OTC_SECRET_H

#include "config.h"
#include "errors.h"

OTC_BEGIN_DECLS

#define OTC_ENCRYPTION_SECRET_MIN_CHARS 8
#define OTC_ENCRYPTION_SECRET_MAX_CHARS 256
/* 256 code points of at most 4 UTF-8 bytes each. */
#define OTC_ENCRYPTION_SECRET_MAX_BYTES 1024

/*
 * OTC_SUCCESS when `utf8[0..len)` is valid UTF-8 (RFC 3629: no overlongs, no surrogates, nothing
 * above U+10FFFF), holds no NUL, and counts 8..256 Unicode code points; otherwise
 * OTC_SESSION_INVALID_ENCRYPTION_SECRET (also for a NULL pointer). No normalisation is applied:
 * the bytes are the secret.
 */
OTC_API OTC_MUST_USE otc_status otc_encryption_secret_validate(const uint8_t* utf8, size_t len);

OTC_END_DECLS

#endif /* OTC_SECRET_H */
