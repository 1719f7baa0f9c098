/*
 * Umbrella header of the otc-e2ee C API.
 *
 * C API convention, destructors: objects are opaque handles the caller owns, made by a
 * constructor (otc_<type>_new*, or otc_<type>_copy for a kept copy) and freed by
 * otc_<type>_delete. Every otc_*_delete returns otc_status, as in the OpenTok Linux SDK:
 * OTC_SUCCESS once the object is freed; NULL is a no-op returning OTC_SUCCESS (as free(NULL)).
 * A destructor that does work first (a session disconnecting, a publisher unpublishing) reports a
 * failure of that work in the status and still frees the handle: it must not be used again,
 * whatever the result. (native/test/session/delete_convention_test.cpp checks every one.)
 *
 * ABI evolution (part of the C API convention):
 * - The shared library's SONAME is libotc.so.<major> (libotc.so.0 for the 0.x series); libotc.so
 *   is the development symlink. Every exported symbol belongs to the version node of the release
 *   that introduced it (native/cmake/otc.map: OTC_0.1). A release that only adds functions adds
 *   a new node (OTC_0.2, inheriting OTC_0.1) and keeps the SONAME; removing a function or changing
 *   the signature, meaning or layout of anything a 0.1 program uses bumps the SONAME instead.
 * - Structs the library fills (otc_frame_cryptor_stats, otc_publisher_stats,
 *   otc_subscriber_stats) start with `size_t struct_size`, set by the caller through the
 *   struct's OTC_<NAME>_INIT initializer (config.h). Members are only ever added at the end; the
 *   library writes no more than struct_size bytes, so a program compiled against an older header
 *   gets the members it knows and nothing past its struct; a newer program on an older library
 *   keeps its initializer's zeros in the members the library does not know. A missing size (0)
 *   is OTC_ERR_INVALID_PARAM. Tested by native/test/abi (a program built against the 0.1 headers).
 * - Settings objects are opaque handles with setters: they grow by new functions, never by layout.
 * - Callback structs the application passes (otc_*_callbacks) keep the OpenTok layout, so they
 *   carry no size member: the library copies them when registered, reading the layout it was
 *   built with. Adding a member to one therefore changes the ABI and comes with a SONAME bump
 *   (members only ever added at the end, so the source of existing programs still compiles).
 * - Results that must be checked are marked OTC_MUST_USE (config.h): ignoring them is a warning.
 * - A function that returned void may come to return a status (the destructors did, before the
 *   first release): a program built against the void declaration ignores the result, so the ABI
 *   holds (the 0.1 snapshot program of native/test/abi calls otc_frame_cryptor_delete as void).
 * - Test-only functions are not part of this header nor of the shipped library: only the test
 *   build of the library (otc_testing) and the static test archives have them. They are fault
 *   injection (otc/testing.h) and the raw SFrame and primitive layers with caller-chosen KIDs,
 *   counters and nonces (otc/testing/sframe.h, otc/testing/primitives.h: otc_sframe_context_*,
 *   otc_sframe_protect/unprotect, otc_sframe_header_*, otc_sframe_max_overhead,
 *   otc_sframe_derive_key_and_salt, otc_hkdf*, otc_aead_seal/open, otc_e2ee_derive_*,
 *   otc_e2ee_master_key_fingerprint), all under native/testing/include. Those raw layers were
 *   exported by the pre-release 0.1 development builds; they are withdrawn before the first
 *   release, which is the one point where removing symbols needs no SONAME bump (no released
 *   program can use them). The 0.1 ABI snapshot program (native/test/abi) uses only the frame
 *   cryptor and keeps passing. From the first release on, the rule above applies unchanged.
 */
#ifndef OTC_OTC_H
#define OTC_OTC_H

#include "config.h"
#include "errors.h"
#include "base.h"
#include "capabilities.h"
#include "secret.h"
#include "cipher_suite.h"
#include "frame_cryptor.h"
#include "media.h"
#include "video_frame.h"
#include "video_capturer.h"
#include "audio_device.h"
#include "connection.h"
#include "stream.h"
#include "publisher.h"
#include "subscriber.h"
#include "session.h"

#endif /* OTC_OTC_H */
