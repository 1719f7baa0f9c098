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
    {OTC_STREAM_NOT_FOUND, "OTC_STREAM_NOT_FOUND", "unknown or already destroyed stream"},
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
