/*
 * Library initialisation and logging, with the OpenTok Linux SDK's names and signatures.
 *
 * otc_init is optional in this SDK (every object works without it) but OpenTok applications call
 * it first: it runs the crypto core's known-answer self test and logs a warning when end-to-end
 * encryption is unavailable in this process (plain sessions still work).
 *
 * Logging: the library writes nothing anywhere until otc_log_enable sets a level above
 * OTC_LOG_LEVEL_DISABLED (the default). Messages then go to the callback set with
 * otc_log_set_logger_callback, or to stderr when none is set. The callback may be called on any
 * SDK thread (application thread, a session's I/O or callback thread), concurrently, and must not
 * call back into the SDK's logging functions. Messages never contain secrets, keys, key material
 * or tokens.
 */
#ifndef OTC_BASE_H
#define OTC_BASE_H

#include "config.h"
#include "errors.h"

OTC_BEGIN_DECLS

/* Numbers as in the OpenTok Linux SDK; a level enables itself and every lower (more severe) one. */
enum otc_log_level {
  OTC_LOG_LEVEL_DISABLED = 0,
  OTC_LOG_LEVEL_FATAL = 2,
  OTC_LOG_LEVEL_ERROR = 3,
  OTC_LOG_LEVEL_WARN = 4,
  OTC_LOG_LEVEL_INFO = 5,
  OTC_LOG_LEVEL_DEBUG = 6,
  OTC_LOG_LEVEL_MSG = 7,
  OTC_LOG_LEVEL_TRACE = 8,
  OTC_LOG_LEVEL_ALL = 100
};

/* Receives one NUL-terminated log line (no trailing newline), valid during the call only. */
typedef void (*otc_logger_callback)(const char* message);

/* Initialises the library. `reserved` must be NULL (OTC_ERR_INVALID_PARAM otherwise). May be called more than once. */
OTC_API otc_status otc_init(void* reserved);

/* Counterpart of otc_init; releases nothing that live objects need. Always OTC_SUCCESS. */
OTC_API otc_status otc_destroy(void);

/* Where log lines go; NULL restores the default (stderr). */
OTC_API void otc_log_set_logger_callback(otc_logger_callback callback);

/* Most verbose level logged; levels outside the enum are clamped into it. */
OTC_API void otc_log_enable(enum otc_log_level level);

/* The level set by otc_log_enable (OTC_LOG_LEVEL_DISABLED by default). */
OTC_API enum otc_log_level otc_get_log_level(void);

OTC_END_DECLS

#endif /* OTC_BASE_H */
