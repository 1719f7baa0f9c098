// C API of sessions and session settings (otc/session.h).
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>

#include "c_api_guard.hpp"
#include "connection_impl.hpp"
#include "log.hpp"
#include "otc/session.h"
#include "publisher_core.hpp"
#include "session_core.hpp"
#include "subscriber_core.hpp"
#include "utf8.hpp"
#include "wire_buffer.hpp"

using otc::guarded;
using otc::client::SessionCore;

extern "C" {

otc_session_settings* otc_session_settings_new(void) { return new (std::nothrow) otc_session_settings(); }

otc_status otc_session_settings_delete(otc_session_settings* settings) {
  delete settings;  // NULL: a no-op, as for every *_delete (otc.h)
  return OTC_SUCCESS;
}

otc_status otc_session_settings_set_router_url(otc_session_settings* settings, const char* url) {
  if (!settings || !url) return OTC_ERR_INVALID_PARAM;
  return guarded([&] {
    // Inside the guard: parsing builds a std::string for the host.
    if (!otc::client::parse_router_url(url)) return OTC_ERR_INVALID_PARAM;
    settings->s.router_url = url;
    return OTC_SUCCESS;
  });
}

otc_status otc_session_settings_set_connect_timeout_ms(otc_session_settings* settings, std::uint32_t timeout_ms) {
  if (!settings || timeout_ms == 0 || timeout_ms > 600000) return OTC_ERR_INVALID_PARAM;
  settings->s.connect_timeout_ms = timeout_ms;
  return OTC_SUCCESS;
}

otc_status otc_session_settings_set_reconnect_timeout_ms(otc_session_settings* settings, std::uint32_t timeout_ms) {
  if (!settings || timeout_ms > 600000) return OTC_ERR_INVALID_PARAM;
  settings->s.reconnect_timeout_ms = timeout_ms;
  return OTC_SUCCESS;
}

otc_status otc_session_settings_set_encryption_grace_period_ms(otc_session_settings* settings, std::uint32_t grace_ms) {
  if (!settings || grace_ms > 600000) return OTC_ERR_INVALID_PARAM;
  settings->s.grace_period_ms = grace_ms;
  return OTC_SUCCESS;
}

otc_status otc_session_settings_set_tls_ca_file(otc_session_settings* settings, const char* pem_path) {
  if (!settings || !pem_path || !*pem_path) return OTC_ERR_INVALID_PARAM;
  return guarded([&] {
    settings->s.tls.ca_file = pem_path;
    settings->s.tls.ca_pem.clear();
    return OTC_SUCCESS;
  });
}

otc_status otc_session_settings_set_tls_ca_pem(otc_session_settings* settings, const char* pem) {
  if (!settings || !pem || !*pem) return OTC_ERR_INVALID_PARAM;
  return guarded([&] {
    settings->s.tls.ca_pem = pem;
    settings->s.tls.ca_file.clear();
    return OTC_SUCCESS;
  });
}

otc_status otc_session_settings_set_tls_verify_hostname(otc_session_settings* settings, otc_bool verify) {
  if (!settings) return OTC_ERR_INVALID_PARAM;
  settings->s.tls.verify_hostname = verify != 0;
  return OTC_SUCCESS;
}

otc_status otc_session_settings_set_e2ee_required(otc_session_settings* settings, otc_bool required) {
  if (!settings) return OTC_ERR_INVALID_PARAM;
  settings->s.e2ee_required = required != 0;
  return OTC_SUCCESS;
}

otc_status otc_session_settings_set_client_name(otc_session_settings* settings, const char* name) {
  if (!settings || !otc::is_valid_c_text(name, otc::client::wire::kMaxIdBytes)) return OTC_ERR_INVALID_PARAM;
  return guarded([&] {
    settings->s.client_name = name;
    return OTC_SUCCESS;
  });
}

otc_session* otc_session_new_checked(const char* apikey, const char* session_id,
                                     const struct otc_session_callbacks* callbacks,
                                     const otc_session_settings* settings, otc_status* status_out) {
  otc_status st = OTC_ERR_INVALID_PARAM;
  otc_session* handle = nullptr;
  const otc_status outcome = guarded([&]() -> otc_status {
    otc::client::SessionSettings resolved = settings ? settings->s : otc::client::SessionSettings{};
    if (resolved.router_url.empty()) {
      // No Vonage cloud to look the router up in: the URL comes from the environment.
      const char* env = std::getenv(OTC_ROUTER_URL_ENV);
      if (env && otc::client::parse_router_url(env)) {
        resolved.router_url = env;
      } else {
        otc::log_line(OTC_LOG_LEVEL_ERROR,
                      std::string("otc_session_new: no router URL: set ") + OTC_ROUTER_URL_ENV +
                          " to tcp://HOST:PORT or tls://HOST:PORT, or use otc_session_settings_set_router_url" +
                          (env ? std::string(" (") + OTC_ROUTER_URL_ENV + " is not a valid router URL)" : ""));
      }
    }
    if (!resolved.router_url.empty()) {
      auto core = SessionCore::create(apikey, session_id, callbacks, resolved, &st);
      if (core) {
        handle = new otc_session{core};
        core->gate().set(handle);
      }
    }
    return handle ? OTC_SUCCESS : st;
  });
  if (status_out) *status_out = outcome;
  return handle;
}

otc_session* otc_session_new(const char* apikey, const char* session_id, const struct otc_session_callbacks* callbacks) {
  return otc_session_new_checked(apikey, session_id, callbacks, nullptr, nullptr);
}

otc_session* otc_session_new_with_settings(const char* apikey, const char* session_id,
                                           const struct otc_session_callbacks* callbacks,
                                           const otc_session_settings* settings) {
  return otc_session_new_checked(apikey, session_id, callbacks, settings, nullptr);
}

otc_status otc_session_delete(otc_session* session) {
  if (!session) return OTC_SUCCESS;
  otc_status st = guarded([&] {
    session->core->shutdown();
    return OTC_SUCCESS;
  });
  delete session;
  return st;
}

otc_status otc_session_set_encryption_secret(otc_session* session, const char* secret) {
  if (!session) return OTC_ERR_INVALID_PARAM;
  if (!secret) return OTC_SESSION_INVALID_ENCRYPTION_SECRET;
  return otc_session_set_encryption_secret_bytes(session, reinterpret_cast<const std::uint8_t*>(secret), std::strlen(secret));
}

otc_status otc_session_set_encryption_secret_bytes(otc_session* session, const std::uint8_t* secret_utf8, std::size_t secret_len) {
  if (!session) return OTC_ERR_INVALID_PARAM;
  return guarded([&] { return session->core->set_encryption_secret(secret_utf8, secret_len); });
}

otc_status otc_session_connect(otc_session* session, const char* token) {
  if (!session) return OTC_ERR_INVALID_PARAM;
  return guarded([&] { return session->core->connect(token); });
}

otc_status otc_session_disconnect(otc_session* session) {
  if (!session) return OTC_ERR_INVALID_PARAM;
  return guarded([&] { return session->core->disconnect(); });
}

otc_status otc_session_send_signal(otc_session* session, const char* type, const char* signal) {
  if (!session) return OTC_ERR_INVALID_PARAM;
  return guarded([&] { return session->core->send_signal(type, signal, nullptr); });
}

otc_status otc_session_send_signal_to_connection(otc_session* session, const char* type, const char* signal,
                                                 const otc_connection* connection) {
  if (!connection) return OTC_ERR_INVALID_PARAM;
  return otc_session_send_signal_to_connection_id(session, type, signal, connection->id.c_str());
}

otc_status otc_session_send_signal_to_connection_id(otc_session* session, const char* type, const char* signal,
                                                    const char* connection_id) {
  if (!session || !connection_id) return OTC_ERR_INVALID_PARAM;
  return guarded([&] { return session->core->send_signal(type, signal, connection_id); });
}

otc_status otc_session_publish(otc_session* session, otc_publisher* publisher) {
  if (!session || !publisher) return OTC_ERR_INVALID_PARAM;
  return guarded([&] { return session->core->publish(publisher->core); });
}

otc_status otc_session_unpublish(otc_session* session, otc_publisher* publisher) {
  if (!session || !publisher) return OTC_ERR_INVALID_PARAM;
  return guarded([&] { return session->core->unpublish(publisher->core); });
}

otc_status otc_session_subscribe(otc_session* session, otc_subscriber* subscriber) {
  if (!session || !subscriber) return OTC_ERR_INVALID_PARAM;
  return guarded([&] { return session->core->subscribe(subscriber->core); });
}

otc_status otc_session_unsubscribe(otc_session* session, otc_subscriber* subscriber) {
  if (!session || !subscriber) return OTC_ERR_INVALID_PARAM;
  return guarded([&] { return session->core->unsubscribe(subscriber->core); });
}

const char* otc_session_get_id(const otc_session* session) {
  return session ? session->core->session_id().c_str() : nullptr;
}

otc_status otc_session_get_connection_id(const otc_session* session, char* out, std::size_t out_capacity) {
  if (!session) return OTC_ERR_INVALID_PARAM;
  return guarded([&] { return session->core->connection_id(out, out_capacity); });
}

otc_bool otc_session_is_e2ee(const otc_session* session) {
  return session && session->core->is_e2ee() ? OTC_TRUE : OTC_FALSE;
}

otc_bool otc_session_has_encryption_secret(const otc_session* session) {
  return session && session->core->has_encryption_secret() ? OTC_TRUE : OTC_FALSE;
}

}  // extern "C"
