// C API of otc_connection (otc/connection.h).
#include <new>

#include "c_api_guard.hpp"
#include "connection_impl.hpp"
#include "otc/connection.h"

extern "C" {

const char* otc_connection_get_id(const otc_connection* c) { return c ? c->id.c_str() : nullptr; }
const char* otc_connection_get_data(const otc_connection* c) { return c ? c->data.c_str() : nullptr; }
std::int64_t otc_connection_get_creation_time(const otc_connection* c) { return c ? c->creation_time_ms : 0; }
const char* otc_connection_get_session_id(const otc_connection* c) { return c ? c->session_id.c_str() : nullptr; }
int otc_connection_get_drop_reason(const otc_connection* c) { return c ? c->drop_reason : 0; }

otc_connection* otc_connection_copy(const otc_connection* c) {
  if (!c) return nullptr;
  return otc::guarded_or<otc_connection*>(nullptr, [&] { return new otc_connection(*c); });
}

otc_status otc_connection_delete(otc_connection* c) {
  delete c;
  return OTC_SUCCESS;
}

}  // extern "C"
