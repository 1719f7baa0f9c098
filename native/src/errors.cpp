#include "otc/errors.h"

#include <cstddef>

namespace {

struct ErrorInfo {
  int code;
  const char* name;
  const char* text;
};

// One table so that name and text can never drift apart for a code.
constexpr ErrorInfo kErrors[] = {
    {OTC_SUCCESS, "OTC_SUCCESS", "success"},
    {OTC_ERR_INVALID_PARAM, "OTC_ERR_INVALID_PARAM", "invalid parameter (NULL pointer, out-of-range value or bad length)"},
    {OTC_ERR_FATAL, "OTC_ERR_FATAL", "unexpected internal failure"},
    {OTC_ERR_BUFFER_TOO_SMALL, "OTC_ERR_BUFFER_TOO_SMALL", "output buffer too small"},
    {OTC_ERR_NOT_SUPPORTED, "OTC_ERR_NOT_SUPPORTED", "not supported (unknown cipher suite or feature absent from this build)"},
    {OTC_ERR_NO_MEMORY, "OTC_ERR_NO_MEMORY", "out of memory"},
    {OTC_ERR_INVALID_STATE, "OTC_ERR_INVALID_STATE", "call not valid in the object's current state"},
    {OTC_SESSION_AUTHORIZATION_FAILURE, "OTC_SESSION_AUTHORIZATION_FAILURE", "token invalid, forged, expired, or for another session"},
    {OTC_SESSION_INVALID_SESSION_ID, "OTC_SESSION_INVALID_SESSION_ID", "invalid session id"},
    {OTC_SESSION_CONNECTION_FAILED, "OTC_SESSION_CONNECTION_FAILED", "could not connect to the router"},
    {OTC_SESSION_NOT_CONNECTED, "OTC_SESSION_NOT_CONNECTED", "session not connected"},
    {OTC_SESSION_PERMISSION_DENIED, "OTC_SESSION_PERMISSION_DENIED", "the token's role does not permit this action"},
    {OTC_SESSION_CONNECTION_TIMED_OUT, "OTC_SESSION_CONNECTION_TIMED_OUT", "connection to the router timed out"},
    {OTC_SESSION_CONNECTION_DROPPED, "OTC_SESSION_CONNECTION_DROPPED", "the router closed or lost the connection"},
    {OTC_SESSION_PROTOCOL_ERROR, "OTC_SESSION_PROTOCOL_ERROR", "malformed, oversized or unexpected protocol message"},
    {OTC_SESSION_INCOMPATIBLE_PROTOCOL, "OTC_SESSION_INCOMPATIBLE_PROTOCOL", "router and client speak different protocol versions"},
    {OTC_SESSION_ROUTER_SHUTDOWN, "OTC_SESSION_ROUTER_SHUTDOWN", "the router is shutting down"},
    {OTC_SESSION_TOO_MANY_PENDING_CONNECTIONS, "OTC_SESSION_TOO_MANY_PENDING_CONNECTIONS", "the router has too many connections that have not completed CONNECT; retry later"},
    {OTC_SESSION_FULL, "OTC_SESSION_FULL", "the session has its maximum number of connections"},
    {OTC_SESSION_STREAM_LIMIT, "OTC_SESSION_STREAM_LIMIT", "publish refused: the connection or the session has its maximum number of streams"},
    {OTC_STREAM_NOT_FOUND, "OTC_STREAM_NOT_FOUND", "unknown or already destroyed stream"},
    {OTC_SESSION_NULL_OR_INVALID_PARAMETER, "OTC_SESSION_NULL_OR_INVALID_PARAMETER", "null or invalid parameter (OpenTok code; not reported by this SDK)"},
    {OTC_SESSION_ILLEGAL_STATE, "OTC_SESSION_ILLEGAL_STATE", "illegal state (OpenTok code; not reported by this SDK)"},
    {OTC_SESSION_STATE_FAILED, "OTC_SESSION_STATE_FAILED", "session state failed (OpenTok code; not reported by this SDK)"},
    {OTC_SESSION_CONNECTION_REFUSED, "OTC_SESSION_CONNECTION_REFUSED", "connection refused (OpenTok code; not reported by this SDK)"},
    {OTC_SESSION_BLOCKED_COUNTRY, "OTC_SESSION_BLOCKED_COUNTRY", "blocked country (OpenTok code; not reported by this SDK)"},
    {OTC_SESSION_CONNECTION_LIMIT_EXCEEDED, "OTC_SESSION_CONNECTION_LIMIT_EXCEEDED", "connection limit exceeded (OpenTok code; not reported by this SDK)"},
    {OTC_SESSION_SUBSCRIBER_NOT_FOUND, "OTC_SESSION_SUBSCRIBER_NOT_FOUND", "subscriber not found (OpenTok code; not reported by this SDK)"},
    {OTC_SESSION_PUBLISHER_NOT_FOUND, "OTC_SESSION_PUBLISHER_NOT_FOUND", "publisher not found (OpenTok code; not reported by this SDK)"},
    {OTC_SESSION_SIGNAL_DATA_TOO_LONG, "OTC_SESSION_SIGNAL_DATA_TOO_LONG", "signal data too long (OpenTok code; not reported by this SDK)"},
    {OTC_SESSION_SIGNAL_TYPE_TOO_LONG, "OTC_SESSION_SIGNAL_TYPE_TOO_LONG", "signal type too long (OpenTok code; not reported by this SDK)"},
    {OTC_SESSION_INVALID_SIGNAL_TYPE, "OTC_SESSION_INVALID_SIGNAL_TYPE", "invalid signal type (OpenTok code; not reported by this SDK)"},
    {OTC_PUBLISHER_UNABLE_TO_PUBLISH, "OTC_PUBLISHER_UNABLE_TO_PUBLISH", "unable to publish (OpenTok code; not reported by this SDK)"},
    {OTC_SESSION_NO_MESSAGING_SERVER, "OTC_SESSION_NO_MESSAGING_SERVER", "no messaging server (OpenTok code; not reported by this SDK)"},
    {OTC_SESSION_FORCE_UNPUBLISH_OR_INVALID_STREAM, "OTC_SESSION_FORCE_UNPUBLISH_OR_INVALID_STREAM", "invalid stream (OpenTok code; not reported by this SDK)"},
    {OTC_PUBLISHER_TIMED_OUT, "OTC_PUBLISHER_TIMED_OUT", "publisher timed out (OpenTok code; not reported by this SDK)"},
    {OTC_SUBSCRIBER_TIMED_OUT, "OTC_SUBSCRIBER_TIMED_OUT", "subscriber timed out (OpenTok code; not reported by this SDK)"},
    {OTC_SESSION_UNABLE_TO_SEND_SIGNAL, "OTC_SESSION_UNABLE_TO_SEND_SIGNAL", "unable to send signal (OpenTok code; not reported by this SDK)"},
    {OTC_SUBSCRIBER_WEBRTC_ERROR, "OTC_SUBSCRIBER_WEBRTC_ERROR", "subscriber WebRTC error (OpenTok code; not reported by this SDK)"},
    {OTC_SUBSCRIBER_SERVER_CANNOT_FIND_STREAM, "OTC_SUBSCRIBER_SERVER_CANNOT_FIND_STREAM", "stream not found (OpenTok code; this SDK reports OTC_STREAM_NOT_FOUND)"},
    {OTC_SUBSCRIBER_STREAM_LIMIT_EXCEEDED, "OTC_SUBSCRIBER_STREAM_LIMIT_EXCEEDED", "stream limit exceeded (OpenTok code; not reported by this SDK)"},
    {OTC_PUBLISHER_WEBRTC_ERROR, "OTC_PUBLISHER_WEBRTC_ERROR", "publisher WebRTC error (OpenTok code; not reported by this SDK)"},
    {OTC_SESSION_INTERNAL_ERROR, "OTC_SESSION_INTERNAL_ERROR", "internal error (OpenTok code; this SDK reports OTC_ERR_FATAL)"},
    {OTC_SESSION_UNEXPECTED_GET_SESSION_INFO_REPONSE, "OTC_SESSION_UNEXPECTED_GET_SESSION_INFO_REPONSE", "unexpected session info response (OpenTok code; not reported by this SDK)"},
    {OTC_FRAME_MALFORMED, "OTC_FRAME_MALFORMED", "frame malformed or truncated"},
    {OTC_FRAME_AUTHENTICATION_FAILED, "OTC_FRAME_AUTHENTICATION_FAILED", "frame failed authentication (tampered or corrupt)"},
    {OTC_FRAME_REPLAYED, "OTC_FRAME_REPLAYED", "frame replayed or older than the replay window"},
    {OTC_FRAME_UNKNOWN_KEY, "OTC_FRAME_UNKNOWN_KEY", "no key for the frame's key id"},
    {OTC_FRAME_COUNTER_EXHAUSTED, "OTC_FRAME_COUNTER_EXHAUSTED", "frame counter exhausted; set a new encryption secret"},
    {OTC_SESSION_ENCRYPTION_SECRET_MISSING, "OTC_SESSION_ENCRYPTION_SECRET_MISSING", "no encryption secret set"},
    {OTC_PUBLISHER_ENCRYPTION_INTERNAL_ERROR, "OTC_PUBLISHER_ENCRYPTION_INTERNAL_ERROR", "internal error while encrypting"},
    {OTC_SUBSCRIBER_DECRYPTION_INTERNAL_ERROR, "OTC_SUBSCRIBER_DECRYPTION_INTERNAL_ERROR", "internal error while decrypting"},
    {OTC_SUBSCRIBER_ENCRYPTION_SECRET_MISMATCH, "OTC_SUBSCRIBER_ENCRYPTION_SECRET_MISMATCH", "stream encrypted with a secret this client does not hold"},
    {OTC_SESSION_INVALID_ENCRYPTION_SECRET, "OTC_SESSION_INVALID_ENCRYPTION_SECRET", "invalid encryption secret (8 to 256 characters of valid UTF-8, no NUL)"},
    {OTC_PUBLISHER_UNSUPPORTED_CODEC, "OTC_PUBLISHER_UNSUPPORTED_CODEC", "codec not supported with end-to-end encryption"},
    {OTC_SUBSCRIBER_UNSUPPORTED_CODEC, "OTC_SUBSCRIBER_UNSUPPORTED_CODEC", "codec not supported with end-to-end encryption"},
    {OTC_SUBSCRIBER_ENCRYPTION_SECRET_MISSING, "OTC_SUBSCRIBER_ENCRYPTION_SECRET_MISSING", "subscribing to an encrypted session needs an encryption secret"},
    {OTC_E2EE_NOT_SUPPORTED, "OTC_E2EE_NOT_SUPPORTED", "end-to-end encryption is not supported in this build or on this CPU"},
    {OTC_E2EE_INCOMPATIBLE_VERSION, "OTC_E2EE_INCOMPATIBLE_VERSION", "peer uses an incompatible end-to-end encryption format version"},
    {OTC_SESSION_UNENCRYPTED_FRAME_REFUSED, "OTC_SESSION_UNENCRYPTED_FRAME_REFUSED", "unencrypted frame refused in an end-to-end encrypted session"},
    {OTC_SESSION_E2EE_DOWNGRADE, "OTC_SESSION_E2EE_DOWNGRADE", "the router reported the session or a stream as not end-to-end encrypted while this client holds an encryption secret or requires end-to-end encryption; disconnected"},
};

const ErrorInfo* find(int code) {
  for (const ErrorInfo& e : kErrors) {
    if (e.code == code) return &e;
  }
  return nullptr;
}

}  // namespace

extern "C" const char* otc_error_string(int code) {
  const ErrorInfo* e = find(code);
  return e != nullptr ? e->text : "unknown error code";
}

extern "C" const char* otc_error_name(int code) {
  const ErrorInfo* e = find(code);
  return e != nullptr ? e->name : nullptr;
}
