/*
 * A published stream as the session sees it. Stream pointers handed to callbacks are valid only
 * during the call: keep one with otc_stream_copy and release the copy with otc_stream_delete.
 * Copies are immutable snapshots and may be read from any thread.
 */
#ifndef OTC_STREAM_H
#define OTC_STREAM_H

#include "config.h"
#include "connection.h"

OTC_BEGIN_DECLS

typedef struct otc_stream otc_stream;

/* Reasons a stream ended (docs/PROTOCOL.md STREAM_DESTROYED); see otc_stream_get_drop_reason. */
typedef enum otc_stream_drop_reason {
  OTC_STREAM_DROP_UNPUBLISHED = 1,
  OTC_STREAM_DROP_PUBLISHER_LEFT = 2
} otc_stream_drop_reason;

/* Router-assigned stream id (UTF-8, never NULL, valid as long as the stream object). */
OTC_API const char* otc_stream_get_id(const otc_stream* stream);

/* Name given by the publisher (may be empty, never NULL). */
OTC_API const char* otc_stream_get_name(const otc_stream* stream);

/* Connection id of the publishing client. */
OTC_API const char* otc_stream_get_connection_id(const otc_stream* stream);

/*
 * The publishing client's connection, valid as long as the stream object (copy it with
 * otc_connection_copy to keep it longer; never delete this pointer). Non-const as in OpenTok.
 */
OTC_API otc_connection* otc_stream_get_connection(const otc_stream* stream);

/*
 * Extension: in the session's on_stream_dropped, why the stream ended (an otc_stream_drop_reason);
 * 0 for a stream that has not ended. (OpenTok's callback has no reason argument.)
 */
OTC_API int otc_stream_get_drop_reason(const otc_stream* stream);

/* otc_codec numbers; OTC_CODEC_NONE when the stream has no such track. */
OTC_API int otc_stream_get_video_codec(const otc_stream* stream);
OTC_API int otc_stream_get_audio_codec(const otc_stream* stream);

OTC_API otc_bool otc_stream_has_video(const otc_stream* stream);
OTC_API otc_bool otc_stream_has_audio(const otc_stream* stream);

/* Whether the stream's frames are end-to-end encrypted (true for every stream of an E2EE session). */
OTC_API otc_bool otc_stream_is_e2ee(const otc_stream* stream);

/* Creation time at the router, milliseconds since the Unix epoch. */
OTC_API int64_t otc_stream_get_creation_time_ms(const otc_stream* stream);

/* An independent copy; NULL if `stream` is NULL or out of memory. */
OTC_API otc_stream* otc_stream_copy(const otc_stream* stream);

/* Frees a copy made with otc_stream_copy. OTC_SUCCESS; NULL is a no-op. Never pass a callback's stream here. */
OTC_API otc_status otc_stream_delete(otc_stream* stream);

OTC_END_DECLS

#endif /* OTC_STREAM_H */
