// The object behind the opaque otc_connection handle: an immutable snapshot of a client's
// connection as the router announced it (CONNECTED, CONNECTION_CREATED).
#ifndef OTC_SRC_SESSION_CONNECTION_IMPL_HPP
#define OTC_SRC_SESSION_CONNECTION_IMPL_HPP

#include <cstdint>
#include <memory>
#include <string>

struct otc_connection {
  std::string id;
  std::string data;
  std::string session_id;
  std::int64_t creation_time_ms = 0;
  int drop_reason = 0;  // set only on the copy handed to on_connection_dropped
};

namespace otc::client {

inline std::shared_ptr<const otc_connection> make_connection(std::string id, std::string data,
                                                            std::string session_id, std::int64_t creation_time_ms) {
  auto c = std::make_shared<otc_connection>();
  c->id = std::move(id);
  c->data = std::move(data);
  c->session_id = std::move(session_id);
  c->creation_time_ms = creation_time_ms;
  return c;
}

}  // namespace otc::client

#endif
