/*
 * Status and error codes. Every code has a stable number that never changes meaning once
 * released; new codes only get new numbers. Numbers 6000..6006 are the ones the Vonage
 * Video SDKs (iOS) publish for end-to-end encryption.
 */
#ifndef OTC_ERRORS_H
#define OTC_ERRORS_H

#include "config.h"

OTC_BEGIN_DECLS

typedef enum otc_status {
  OTC_SUCCESS = 0,

  /* General (1..99). */
  OTC_ERR_INVALID_PARAM = 1,       /* NULL pointer, out-of-range number, bad length */
  OTC_ERR_FATAL = 2,               /* unexpected internal failure */
  OTC_ERR_BUFFER_TOO_SMALL = 3,    /* output capacity below what the operation needs */
  OTC_ERR_NOT_SUPPORTED = 4,       /* unknown cipher suite, feature absent from this build */
  OTC_ERR_NO_MEMORY = 5,
  OTC_ERR_INVALID_STATE = 6,       /* call not valid in the object's current state */

  /* Sessions and connections (1000..1999); also carried in the router protocol's ERROR message. */
  OTC_SESSION_AUTHORIZATION_FAILURE = 1004, /* token invalid, forged, expired, or for another session */
  OTC_SESSION_INVALID_SESSION_ID = 1005,    /* empty, > 1024 bytes, invalid UTF-8, NUL inside, or unknown to the router */
  OTC_SESSION_CONNECTION_FAILED = 1006,     /* could not reach the router (TCP/TLS) */
  OTC_SESSION_NOT_CONNECTED = 1010,
  OTC_SESSION_PERMISSION_DENIED = 1014,     /* the token's role forbids this action */
  OTC_SESSION_CONNECTION_TIMED_OUT = 1021,
  OTC_SESSION_CONNECTION_DROPPED = 1022,    /* the router closed or lost the connection */
  OTC_SESSION_PROTOCOL_ERROR = 1030,        /* malformed, oversized or unexpected message */
  OTC_SESSION_INCOMPATIBLE_PROTOCOL = 1031, /* router and client speak different protocol versions */
  OTC_SESSION_ROUTER_SHUTDOWN = 1040,       /* the router is stopping */
  /* Router limits (1050..1069): the router refused to take more; retry later or elsewhere. */
  OTC_SESSION_TOO_MANY_PENDING_CONNECTIONS = 1050, /* too many connections not yet past CONNECT (router-wide or from this address) */
  OTC_SESSION_FULL = 1051,                  /* the session has its maximum number of connections */
  OTC_SESSION_STREAM_LIMIT = 1052,          /* publish refused: stream limit of the connection or the session reached */
  OTC_STREAM_NOT_FOUND = 1601,              /* unknown or already destroyed stream */

  /* Frame-level outcomes of SFrame unprotect / protect (100..199). */
  OTC_FRAME_MALFORMED = 100,             /* header or frame structurally invalid, truncated */
  OTC_FRAME_AUTHENTICATION_FAILED = 101, /* known key, but the tag does not verify: tampered or corrupt */
  OTC_FRAME_REPLAYED = 102,              /* counter already seen or older than the replay window */
  OTC_FRAME_UNKNOWN_KEY = 103,           /* raw SFrame context: no key for this KID */
  OTC_FRAME_COUNTER_EXHAUSTED = 104,     /* sender counter would wrap; set a new secret */

  /* End-to-end encryption (6000..6099). 6000..6006 reuse the Vonage Video SDKs' numbers. */
  OTC_SESSION_ENCRYPTION_SECRET_MISSING = 6000,
  OTC_PUBLISHER_ENCRYPTION_INTERNAL_ERROR = 6001,
  OTC_SUBSCRIBER_DECRYPTION_INTERNAL_ERROR = 6002,
  OTC_SUBSCRIBER_ENCRYPTION_SECRET_MISMATCH = 6003,
  OTC_SESSION_INVALID_ENCRYPTION_SECRET = 6004,
  OTC_PUBLISHER_UNSUPPORTED_CODEC = 6005,
  OTC_SUBSCRIBER_UNSUPPORTED_CODEC = 6006,
  OTC_SUBSCRIBER_ENCRYPTION_SECRET_MISSING = 6007,
  OTC_E2EE_NOT_SUPPORTED = 6008,               /* no usable AES engine in this build or CPU */
  OTC_E2EE_INCOMPATIBLE_VERSION = 6009,        /* peer or router speaks another frame-format version */
  OTC_SESSION_UNENCRYPTED_FRAME_REFUSED = 6010, /* router: a frame not marked encrypted in an E2EE session */
  OTC_SESSION_E2EE_DOWNGRADE = 6011             /* the router calls the session (or a stream) not end-to-end
                                                   encrypted while this client holds a secret or requires E2EE */
} otc_status;

/* Static English description of a code; never NULL ("unknown error code" for unknown values). */
OTC_API const char* otc_error_string(int code);

/* Stable symbolic name of a code, e.g. "OTC_SESSION_INVALID_ENCRYPTION_SECRET"; NULL if unknown. */
OTC_API const char* otc_error_name(int code);

OTC_END_DECLS

#endif /* OTC_ERRORS_H */
