/*
 * A session: one connection to the media router (docs/PROTOCOL.md), its participants and
 * streams, and the session's encryption secret.
 *
 * Threads: every session runs one I/O thread and one SDK callback thread; received frames are
 * decrypted on the SDK's decryption workers, shared by the process (see otc/subscriber.h). Callbacks of the
 * session and of the publishers and subscribers attached to it are delivered on the callback
 * thread, in order, never re-entrantly. Any SDK function may be called from inside a callback,
 * including otc_session_disconnect and otc_session_delete; objects may be deleted in any order
 * (a publisher or subscriber outliving its session is inert, then freed by its own delete).
 *
 * E2EE: the session holds one frame cryptor (docs/FORMAT.md) keyed by the session id; each
 * publisher and subscriber encrypts/decrypts with its own cryptor sharing those keys.
 * Connecting to an E2EE session without a secret is allowed; publishing then fails with
 * OTC_SESSION_ENCRYPTION_SECRET_MISSING (publisher on_error) and subscribing with
 * OTC_SUBSCRIBER_ENCRYPTION_SECRET_MISSING (subscriber on_error). In a non-E2EE session frames
 * travel unencrypted and no secret is needed.
 *
 * No downgrade: a session that holds a secret (set before or after connecting) or was created
 * with otc_session_settings_set_e2ee_required never sends nor delivers an unencrypted media frame,
 * whatever the router claims; a router claiming "not E2EE" ends the connection with
 * OTC_SESSION_E2EE_DOWNGRADE (session on_error).
 *
 * Bounded memory: media queued for the application is bounded per subscriber and per session
 * (otc/subscriber.h, frames dropped and counted). Other router messages are never dropped: while
 * more than 4096 application callbacks wait (a stuck or slow callback), the session stops reading
 * from the router until fewer than 1024 wait, so the router's writes block instead of this
 * process buffering them.
 */
#ifndef OTC_SESSION_H
#define OTC_SESSION_H

#include "config.h"
#include "connection.h"
#include "errors.h"
#include "stream.h"
#include "publisher.h"
#include "subscriber.h"

OTC_BEGIN_DECLS

#define OTC_SESSION_DEFAULT_CONNECT_TIMEOUT_MS 10000u
#define OTC_SESSION_DEFAULT_RECONNECT_TIMEOUT_MS 30000u

typedef struct otc_session otc_session;
typedef struct otc_session_settings otc_session_settings;

/*
 * Members in the OpenTok Linux SDK's order, so OpenTok applications compile unchanged
 * (docs/OPENTOK-COMPAT.md); extensions of this SDK only ever follow `reserved`. Every pointer
 * argument of a callback is valid during the call only (copy what you keep: otc_stream_copy,
 * otc_connection_copy). Every member may be NULL; zero-initialise the struct.
 */
struct otc_session_callbacks {
  /* The router accepted the token; streams already published follow as on_stream_received. */
  void (*on_connected)(otc_session* session, void* user_data);
  /* The session is no longer connected (after otc_session_disconnect, or after a connection error). */
  void (*on_disconnected)(otc_session* session, void* user_data);
  /* Another client is (or already was) in the session. */
  void (*on_connection_created)(otc_session* session, void* user_data, const otc_connection* connection);
  /* Another client left; why: otc_connection_get_drop_reason(connection). */
  void (*on_connection_dropped)(otc_session* session, void* user_data, const otc_connection* connection);
  /* A stream published by another client; subscribe with otc_subscriber_new + otc_session_subscribe. */
  void (*on_stream_received)(otc_session* session, void* user_data, const otc_stream* stream);
  /* A stream of another client ended; why: otc_stream_get_drop_reason(stream). */
  void (*on_stream_dropped)(otc_session* session, void* user_data, const otc_stream* stream);
  /*
   * Never called by this SDK: a stream's audio and video tracks are fixed when it is published
   * (docs/PROTOCOL.md has no message that changes them). Present for OpenTok source compatibility.
   */
  void (*on_stream_has_audio_changed)(otc_session* session, void* user_data, const otc_stream* stream,
                                      otc_bool has_audio);
  void (*on_stream_has_video_changed)(otc_session* session, void* user_data, const otc_stream* stream,
                                      otc_bool has_video);
  /* A signal; `connection` is the sender's. */
  void (*on_signal_received)(otc_session* session, void* user_data, const char* type, const char* signal,
                             const otc_connection* connection);
  /*
   * Automatic reconnection (OpenTok's members, in OpenTok's place; docs/PROTOCOL.md "Client:
   * redirect and reconnection"). on_reconnection_started: the connection was lost
   * after on_connected without otc_session_disconnect (network, router stopped or draining); the
   * SDK reconnects by itself within the reconnect timeout. Meanwhile publishers drop frames
   * (otc_publisher_send_frame returns OTC_SUCCESS, nothing is sent) and subscribers receive
   * nothing; publish/subscribe/signal return OTC_SESSION_NOT_CONNECTED. on_reconnected: connected
   * again (to the same or another router node), publishers republished under their stream ids
   * when the router could keep them, subscribers resubscribed as their streams reappear. If the
   * timeout passes first: on_error OTC_SESSION_CONNECTION_DROPPED, then on_disconnected.
   */
  void (*on_reconnection_started)(otc_session* session, void* user_data);
  void (*on_reconnected)(otc_session* session, void* user_data);
  /*
   * Archiving: never called. The router refuses archiving of end-to-end encrypted sessions and
   * offers none for plain ones (there is no Vonage cloud). Present for OpenTok source compatibility.
   */
  void (*on_archive_started)(otc_session* session, void* user_data, const char* archive_id, const char* name);
  void (*on_archive_stopped)(otc_session* session, void* user_data, const char* archive_id);
  /*
   * A session-level error: OTC_SESSION_CONNECTION_FAILED, OTC_SESSION_CONNECTION_TIMED_OUT,
   * OTC_SESSION_AUTHORIZATION_FAILURE, OTC_SESSION_INVALID_SESSION_ID,
   * OTC_SESSION_CONNECTION_DROPPED, OTC_SESSION_PROTOCOL_ERROR,
   * OTC_SESSION_INCOMPATIBLE_PROTOCOL, OTC_E2EE_INCOMPATIBLE_VERSION, OTC_SESSION_ROUTER_SHUTDOWN,
   * OTC_E2EE_NOT_SUPPORTED, OTC_SESSION_E2EE_DOWNGRADE, or a refused signal
   * (OTC_SESSION_NOT_CONNECTED). Errors that end an
   * established connection (after on_connected) are followed by on_disconnected; a connect attempt
   * that fails gets on_error only.
   */
  void (*on_error)(otc_session* session, void* user_data, const char* error_string,
                   enum otc_session_error_code error);
  void* user_data;
  void* reserved;
};

/* Defaults: no router URL (OTC_ROUTER_URL then applies), connect timeout 10 s, grace period 5 s, system TLS trust store. */
OTC_API otc_session_settings* otc_session_settings_new(void);
/* Frees the settings. OTC_SUCCESS; NULL is a no-op. */
OTC_API otc_status otc_session_settings_delete(otc_session_settings* settings);

/* The router's media URL, "tcp://HOST:PORT" or "tls://HOST:PORT" (as POST /session/create returns it). */
OTC_API otc_status otc_session_settings_set_router_url(otc_session_settings* settings, const char* url);

/* Time allowed for TCP/TLS connect + HELLO + CONNECT; 1 .. 600000 ms. */
OTC_API otc_status otc_session_settings_set_connect_timeout_ms(otc_session_settings* settings, uint32_t timeout_ms);

/*
 * How long the session tries to reconnect after losing an established connection
 * (OTC_SESSION_DEFAULT_RECONNECT_TIMEOUT_MS); 0 disables reconnection (a lost connection then ends
 * the session at once with OTC_SESSION_CONNECTION_DROPPED or OTC_SESSION_ROUTER_SHUTDOWN); at most
 * 600000 ms. While reconnection is enabled the session keeps the token in memory for as long as it
 * is connected (wiped at disconnect), since every reconnection presents it again.
 */
OTC_API otc_status otc_session_settings_set_reconnect_timeout_ms(otc_session_settings* settings, uint32_t timeout_ms);

/* How long previous secrets keep decrypting after a change (OTC_FRAME_CRYPTOR_DEFAULT_GRACE_PERIOD_MS); 0 .. 600000 ms. */
OTC_API otc_status otc_session_settings_set_encryption_grace_period_ms(otc_session_settings* settings, uint32_t grace_ms);

/* PEM file of trusted CA certificates for tls:// URLs, replacing the system trust store. */
OTC_API otc_status otc_session_settings_set_tls_ca_file(otc_session_settings* settings, const char* pem_path);

/* Same, with the PEM text itself. */
OTC_API otc_status otc_session_settings_set_tls_ca_pem(otc_session_settings* settings, const char* pem);

/* Whether the router's certificate must match the URL's host name (default true). */
OTC_API otc_status otc_session_settings_set_tls_verify_hostname(otc_session_settings* settings, otc_bool verify);

/*
 * Require end-to-end encryption (default false). With it, or as soon as the session holds an
 * encryption secret, a router that calls the session (CONNECTED) or a stream (STREAM_CREATED) not
 * end-to-end encrypted is treated as hostile: the connection ends with on_error
 * OTC_SESSION_E2EE_DOWNGRADE and no media is sent or delivered in clear. Setting a secret while
 * connected to a session the router called plain ends the connection the same way.
 */
OTC_API otc_status otc_session_settings_set_e2ee_required(otc_session_settings* settings, otc_bool required);

/* Client name sent in HELLO (diagnostics only; default "otc-e2ee-c/<version>"). */
OTC_API otc_status otc_session_settings_set_client_name(otc_session_settings* settings, const char* name);

/*
 * Environment variable read by otc_session_new (and by the other constructors when their settings
 * carry no router URL): the router's media URL, "tcp://HOST:PORT" or "tls://HOST:PORT". There is
 * no Vonage cloud to find the router from the session id.
 */
#define OTC_ROUTER_URL_ENV "OTC_ROUTER_URL"

/*
 * A session object (not yet connected), as in OpenTok. `apikey` may be NULL (informational);
 * `session_id` must be 1..1024 bytes of UTF-8 (it salts the key derivation). `callbacks` is
 * copied. The router URL comes from the environment variable OTC_ROUTER_URL. NULL on invalid
 * arguments, a missing or invalid OTC_ROUTER_URL (logged at OTC_LOG_LEVEL_ERROR), or out of memory
 * (otc_session_new_checked tells why).
 */
OTC_API otc_session* otc_session_new(const char* apikey, const char* session_id,
                                     const struct otc_session_callbacks* callbacks);

/*
 * Like otc_session_new, with settings (copied, not retained; may be NULL): their router URL, or
 * OTC_ROUTER_URL when they carry none.
 */
OTC_API otc_session* otc_session_new_with_settings(const char* apikey, const char* session_id,
                                                   const struct otc_session_callbacks* callbacks,
                                                   const otc_session_settings* settings);

/* Like otc_session_new_with_settings; `*status_out` (if non-NULL) receives why NULL was returned. */
OTC_API otc_session* otc_session_new_checked(const char* apikey, const char* session_id,
                                             const struct otc_session_callbacks* callbacks,
                                             const otc_session_settings* settings,
                                             otc_status* status_out);

/*
 * Disconnects if needed, stops the session's threads and releases the handle. Safe from inside
 * a callback; no session callback starts after it returns. Publishers and subscribers attached
 * to it become inert (their streams end) and must still be deleted. NULL is a no-op.
 */
OTC_API otc_status otc_session_delete(otc_session* session);

/*
 * Sets or rotates the encryption secret (UTF-8, NUL-terminated), before or after connecting.
 * Runs the key derivation on the calling thread (~0.1 s; never call it from a media thread).
 * The next frame each publisher sends uses it; previous secrets keep decrypting for the grace
 * period. Returns OTC_SESSION_INVALID_ENCRYPTION_SECRET (secret.h rules) leaving the current
 * secret in place. The SDK keeps no copy of the secret, only derived keys.
 */
OTC_API otc_status otc_session_set_encryption_secret(otc_session* session, const char* secret);

/* Same, with explicit length, so the caller can wipe its buffer afterwards. */
OTC_API otc_status otc_session_set_encryption_secret_bytes(otc_session* session,
                                                           const uint8_t* secret_utf8, size_t secret_len);

/*
 * Starts connecting with a client token (a JWT). OTC_SUCCESS means the attempt started; the
 * outcome arrives as on_connected or on_error (+ on_disconnected). OTC_ERR_INVALID_STATE if
 * already connecting or connected.
 */
OTC_API otc_status otc_session_connect(otc_session* session, const char* token);

/* Leaves the session; on_disconnected follows. OTC_ERR_INVALID_STATE when not connected/connecting. */
OTC_API otc_status otc_session_disconnect(otc_session* session);

/*
 * Sends a signal to everyone else in the session (otc_session_send_signal) or to one connection.
 * `type` at most 1024 bytes, `signal` at most 8192 bytes of UTF-8. OTC_SESSION_NOT_CONNECTED when
 * not connected; refusals by the router arrive through on_error.
 */
OTC_API otc_status otc_session_send_signal(otc_session* session, const char* type, const char* signal);
OTC_API otc_status otc_session_send_signal_to_connection(otc_session* session, const char* type,
                                                         const char* signal, const otc_connection* connection);
/* Extension: the same, naming the connection by its id (for bindings that keep ids only). */
OTC_API otc_status otc_session_send_signal_to_connection_id(otc_session* session, const char* type,
                                                            const char* signal, const char* connection_id);

/*
 * Publishes: the outcome arrives as publisher on_stream_created or on_error. A publisher belongs
 * to at most one session at a time. OTC_SESSION_NOT_CONNECTED, OTC_ERR_INVALID_STATE (already
 * published) are returned at once; the E2EE secret check is reported through the publisher's
 * on_error (OTC_SESSION_ENCRYPTION_SECRET_MISSING) as the error table requires.
 */
OTC_API otc_status otc_session_publish(otc_session* session, otc_publisher* publisher);
OTC_API otc_status otc_session_unpublish(otc_session* session, otc_publisher* publisher);

/*
 * Subscribes: the outcome arrives as subscriber on_connected or on_error
 * (OTC_SUBSCRIBER_ENCRYPTION_SECRET_MISSING in an E2EE session without a secret).
 */
OTC_API otc_status otc_session_subscribe(otc_session* session, otc_subscriber* subscriber);
OTC_API otc_status otc_session_unsubscribe(otc_session* session, otc_subscriber* subscriber);

/* The session id given at creation (valid as long as the session). */
OTC_API const char* otc_session_get_id(const otc_session* session);

/* This client's connection id, copied into `out`; OTC_SESSION_NOT_CONNECTED before on_connected. */
OTC_API otc_status otc_session_get_connection_id(const otc_session* session, char* out, size_t out_capacity);

/* Whether the router reported the session as end-to-end encrypted (false before on_connected). */
OTC_API otc_bool otc_session_is_e2ee(const otc_session* session);

/* Whether an encryption secret is set. */
OTC_API otc_bool otc_session_has_encryption_secret(const otc_session* session);

OTC_END_DECLS

#endif /* OTC_SESSION_H */
