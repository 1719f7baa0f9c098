/*
 * Fault injection, for the test build of the library only (otc_testing, native/CMakeLists.txt; the
 * shipped libotc has none of it), so that this SDK's own tests can exercise their handling of
 * the internal-error rows of the error table, which a healthy crypto engine never produces.
 *
 * Process-wide: it affects every frame cryptor in the process, including the ones sessions,
 * publishers and subscribers use. When no fault is pending it costs one relaxed atomic load per
 * frame. Nothing about secrets or keys changes: an injected failure only makes the frame fail.
 */
#ifndef OTC_TESTING_H
#define OTC_TESTING_H

#include "otc/config.h" /* native/include: this header lives apart, in testing/include */
#include "otc/errors.h"

OTC_BEGIN_DECLS

typedef enum otc_testing_fault {
  OTC_TESTING_FAULT_ENCRYPT = 1,
  OTC_TESTING_FAULT_DECRYPT = 2
} otc_testing_fault;

/*
 * The next `count` frame encryptions (OTC_TESTING_FAULT_ENCRYPT) or decryptions
 * (OTC_TESTING_FAULT_DECRYPT) in this process that reach the crypto engine fail as if the engine
 * failed: encrypt returns OTC_PUBLISHER_ENCRYPTION_INTERNAL_ERROR, decrypt
 * OTC_SUBSCRIBER_DECRYPTION_INTERNAL_ERROR, and the cryptor counts them as internal_error.
 * Frames rejected earlier (no secret, malformed, secret mismatch, buffer too small) do not use one
 * up. A publisher reports them through on_error with 6001, a subscriber with 6002 (once per run of
 * failures) and drops the frame; later frames work again. The call replaces any pending count of
 * that fault; count 0 clears it. OTC_ERR_INVALID_PARAM for an unknown fault.
 */
OTC_API otc_status otc_testing_inject_fault(int fault, uint32_t count);

OTC_END_DECLS

#endif /* OTC_TESTING_H */
