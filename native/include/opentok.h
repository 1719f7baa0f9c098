/*
 * The header applications written for the OpenTok (Vonage Video) Linux SDK include:
 * `#include <opentok.h>`. It is the whole otc-e2ee C API (otc/otc.h), whose names, types,
 * signatures and callback members follow the OpenTok Linux SDK for sessions, connections,
 * signals, streams, publishers and subscribers. What is compatible and what differs (router URL
 * from OTC_ROUTER_URL or the session settings, encoded-frame publishing, callbacks that never
 * fire): docs/OPENTOK-COMPAT.md.
 *
 * C users: compile with -Werror=incompatible-pointer-types (the default error in GCC 14 and later)
 * so that a call written for another SDK's argument order is an error, not a warning.
 *
 * Build flags: `pkg-config --cflags --libs libopentok`.
 */
#ifndef OTC_OPENTOK_H
#define OTC_OPENTOK_H

#include "otc/otc.h"

#endif /* OTC_OPENTOK_H */
