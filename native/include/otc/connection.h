/*
 * A client's connection to a session (OpenTok's otc_connection): passed to the session callbacks
 * on_connection_created, on_connection_dropped and on_signal_received, and reachable from a stream
 * with otc_stream_get_connection.
 *
 * Connection pointers handed to callbacks are valid only during the call, and the one returned by
 * otc_stream_get_connection as long as its stream: keep one with otc_connection_copy and release
 * the copy with otc_connection_delete. Connections are immutable snapshots; any thread may read them.
 */
#ifndef OTC_CONNECTION_H
#define OTC_CONNECTION_H

#include "config.h"
#include "errors.h"

OTC_BEGIN_DECLS

typedef struct otc_connection otc_connection;

/* Reasons a connection left (docs/PROTOCOL.md CONNECTION_DROPPED); see otc_connection_get_drop_reason. */
typedef enum otc_connection_drop_reason {
  OTC_CONNECTION_DROP_CLIENT_DISCONNECTED = 1,
  OTC_CONNECTION_DROP_NETWORK_LOST = 2,
  OTC_CONNECTION_DROP_FORCED = 3
} otc_connection_drop_reason;

/* Router-assigned connection id (UTF-8; never NULL for a non-NULL connection). */
OTC_API const char* otc_connection_get_id(const otc_connection* connection);

/* The data the token carried for this client (may be empty, never NULL for a non-NULL connection). */
OTC_API const char* otc_connection_get_data(const otc_connection* connection);

/* When the client connected, milliseconds since the Unix epoch (router clock; 0 if unknown). */
OTC_API int64_t otc_connection_get_creation_time(const otc_connection* connection);

/* The session id the connection belongs to. */
OTC_API const char* otc_connection_get_session_id(const otc_connection* connection);

/*
 * Extension: in on_connection_dropped, why the connection left (an otc_connection_drop_reason);
 * 0 for a connection that has not left. (OpenTok's callback has no reason argument.)
 */
OTC_API int otc_connection_get_drop_reason(const otc_connection* connection);

/* An independent copy; NULL if `connection` is NULL or out of memory. */
OTC_API otc_connection* otc_connection_copy(const otc_connection* connection);

/* Frees a copy made with otc_connection_copy. OTC_SUCCESS; NULL is a no-op. Never pass a callback's connection here. */
OTC_API otc_status otc_connection_delete(otc_connection* connection);

OTC_END_DECLS

#endif /* OTC_CONNECTION_H */
