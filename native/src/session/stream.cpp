#include <new>

#include "c_api_guard.hpp"
#include "otc/stream.h"
#include "stream_impl.hpp"

extern "C" {

const char* otc_stream_get_id(const otc_stream* s) { return s ? s->id.c_str() : nullptr; }
const char* otc_stream_get_name(const otc_stream* s) { return s ? s->name.c_str() : nullptr; }
const char* otc_stream_get_connection_id(const otc_stream* s) { return s ? s->connection_id.c_str() : nullptr; }
otc_connection* otc_stream_get_connection(const otc_stream* s) {
  // Non-const in the C API for OpenTok source compatibility; the object itself is never modified.
  return s ? const_cast<otc_connection*>(s->connection.get()) : nullptr;
}
int otc_stream_get_drop_reason(const otc_stream* s) { return s ? s->drop_reason : 0; }
int otc_stream_get_video_codec(const otc_stream* s) { return s ? s->video_codec : 0; }
int otc_stream_get_audio_codec(const otc_stream* s) { return s ? s->audio_codec : 0; }
otc_bool otc_stream_has_video(const otc_stream* s) { return s && s->has_video ? OTC_TRUE : OTC_FALSE; }
otc_bool otc_stream_has_audio(const otc_stream* s) { return s && s->has_audio ? OTC_TRUE : OTC_FALSE; }
otc_bool otc_stream_is_e2ee(const otc_stream* s) { return s && s->e2ee ? OTC_TRUE : OTC_FALSE; }
std::int64_t otc_stream_get_creation_time_ms(const otc_stream* s) { return s ? s->creation_time_ms : 0; }

otc_stream* otc_stream_copy(const otc_stream* s) {
  if (!s) return nullptr;
  return otc::guarded_or<otc_stream*>(nullptr, [&] { return new otc_stream(*s); });
}

otc_status otc_stream_delete(otc_stream* s) {
  delete s;  // NULL: a no-op, as for every *_delete (otc.h)
  return OTC_SUCCESS;
}

}  // extern "C"
