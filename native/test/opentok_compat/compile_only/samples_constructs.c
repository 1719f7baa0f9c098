/*
 * Compile-only (-Wall -Wextra -Werror): the constructs of the OpenTok Linux SDK samples that the
 * runtime programs do not exercise, written as those samples write them. Never run.
 */
#include <opentok.h>

#include <stdio.h>

static void on_otc_log_message(const char* message) { printf("%s\n", message); }

static void on_session_connected(otc_session* session, void* user_data) { (void)session; (void)user_data; }
static void on_session_connection_created(otc_session* session, void* user_data, const otc_connection* connection) {
  (void)session;
  (void)user_data;
  printf("%s %s %lld\n", otc_connection_get_id(connection), otc_connection_get_data(connection),
         (long long)otc_connection_get_creation_time(connection));
}
static void on_session_connection_dropped(otc_session* session, void* user_data, const otc_connection* connection) {
  (void)session;
  (void)user_data;
  (void)connection;
}
static void on_session_stream_received(otc_session* session, void* user_data, const otc_stream* stream) {
  otc_connection* connection = otc_stream_get_connection(stream);
  (void)session;
  (void)user_data;
  (void)connection;
}
static void on_session_stream_dropped(otc_session* session, void* user_data, const otc_stream* stream) {
  (void)session;
  (void)user_data;
  (void)stream;
}
static void on_session_stream_has_audio_changed(otc_session* session, void* user_data, const otc_stream* stream,
                                                otc_bool has_audio) {
  (void)session; (void)user_data; (void)stream; (void)has_audio;
}
static void on_session_stream_has_video_changed(otc_session* session, void* user_data, const otc_stream* stream,
                                                otc_bool has_video) {
  (void)session; (void)user_data; (void)stream; (void)has_video;
}
static void on_session_signal_received(otc_session* session, void* user_data, const char* type, const char* signal,
                                       const otc_connection* connection) {
  (void)session; (void)user_data; (void)type; (void)signal; (void)connection;
}
static void on_session_reconnection_started(otc_session* session, void* user_data) { (void)session; (void)user_data; }
static void on_session_reconnected(otc_session* session, void* user_data) { (void)session; (void)user_data; }
static void on_session_archive_started(otc_session* session, void* user_data, const char* archive_id, const char* name) {
  (void)session; (void)user_data; (void)archive_id; (void)name;
}
static void on_session_archive_stopped(otc_session* session, void* user_data, const char* archive_id) {
  (void)session; (void)user_data; (void)archive_id;
}
static void on_session_error(otc_session* session, void* user_data, const char* error_string,
                             enum otc_session_error_code error) {
  (void)session;
  (void)user_data;
  switch (error) {
    case OTC_SESSION_AUTHORIZATION_FAILURE:
    case OTC_SESSION_INVALID_SESSION:
    case OTC_SESSION_CONNECTION_FAILED:
    case OTC_SESSION_CONNECTION_TIMED_OUT:
    case OTC_SESSION_CONNECTION_DROPPED:
    case OTC_SESSION_ENCRYPTION_SECRET_MISSING:
    case OTC_SESSION_INVALID_ENCRYPTION_SECRET:
    case OTC_SESSION_INTERNAL_ERROR:
      printf("%s\n", error_string);
      break;
    default:
      break;
  }
}
static void on_publisher_stream_created(otc_publisher* publisher, void* user_data, const otc_stream* stream) {
  (void)publisher; (void)user_data; (void)stream;
}
static void on_publisher_error(otc_publisher* publisher, void* user_data, const char* error_string,
                               enum otc_publisher_error_code error_code) {
  (void)publisher;
  (void)user_data;
  if (error_code == OTC_PUBLISHER_ENCRYPTION_INTERNAL_ERROR || error_code == OTC_PUBLISHER_INTERNAL_ERROR) {
    printf("%s\n", error_string);
  }
}
static void on_subscriber_error(otc_subscriber* subscriber, void* user_data, const char* error_string,
                                enum otc_subscriber_error_code error_code) {
  (void)subscriber;
  (void)user_data;
  if (error_code == OTC_SUBSCRIBER_ENCRYPTION_SECRET_MISMATCH || error_code == OTC_SUBSCRIBER_DECRYPTION_INTERNAL_ERROR) {
    printf("%s\n", error_string);
  }
}

int compile_only(const char* api_key, const char* session_id, const char* token);

int compile_only(const char* api_key, const char* session_id, const char* token) {
  struct otc_session_callbacks session_callbacks = {0};
  struct otc_publisher_callbacks publisher_callbacks = {0};
  struct otc_subscriber_callbacks subscriber_callbacks = {0};
  otc_session* session;
  otc_session_settings* settings;
  otc_publisher* publisher;
  otc_publisher_settings* publisher_settings;

  if (otc_init(NULL) != OTC_SUCCESS) return 1;
  otc_log_set_logger_callback(on_otc_log_message);
  otc_log_enable(OTC_LOG_LEVEL_ALL);

  session_callbacks.on_connected = on_session_connected;
  session_callbacks.on_connection_created = on_session_connection_created;
  session_callbacks.on_connection_dropped = on_session_connection_dropped;
  session_callbacks.on_stream_received = on_session_stream_received;
  session_callbacks.on_stream_dropped = on_session_stream_dropped;
  session_callbacks.on_stream_has_audio_changed = on_session_stream_has_audio_changed;
  session_callbacks.on_stream_has_video_changed = on_session_stream_has_video_changed;
  session_callbacks.on_signal_received = on_session_signal_received;
  session_callbacks.on_reconnection_started = on_session_reconnection_started;
  session_callbacks.on_reconnected = on_session_reconnected;
  session_callbacks.on_archive_started = on_session_archive_started;
  session_callbacks.on_archive_stopped = on_session_archive_stopped;
  session_callbacks.on_error = on_session_error;

  session = otc_session_new(api_key, session_id, &session_callbacks);
  settings = otc_session_settings_new();
  otc_session_settings_set_router_url(settings, "tcp://127.0.0.1:1");
  otc_session_delete(otc_session_new_with_settings(api_key, session_id, &session_callbacks, settings));
  otc_session_settings_delete(settings);
  if (session == NULL) return 1;
  if (otc_session_set_encryption_secret(session, "a secret of the sample") == OTC_SESSION_INVALID_ENCRYPTION_SECRET) return 1;
  otc_session_connect(session, token);

  publisher_callbacks.on_stream_created = on_publisher_stream_created;
  publisher_callbacks.on_error = on_publisher_error;
  publisher = otc_publisher_new("opentok-linux-sdk-samples", NULL, &publisher_callbacks);
  publisher_settings = otc_publisher_settings_new();
  otc_publisher_settings_set_name(publisher_settings, "sample");
  otc_publisher_delete(otc_publisher_new_with_settings("sample", NULL, &publisher_callbacks, publisher_settings));
  otc_publisher_settings_delete(publisher_settings);
  otc_session_publish(session, publisher);
  otc_session_send_signal(session, "type", "data");

  subscriber_callbacks.on_error = on_subscriber_error;
  (void)subscriber_callbacks;

  otc_session_unpublish(session, publisher);
  otc_publisher_delete(publisher);
  otc_session_disconnect(session);
  otc_session_delete(session);
  otc_destroy();
  return 0;
}
