// C API of publishers and publisher settings (otc/publisher.h).
#include <cstring>
#include <new>

#include "otc/publisher.h"
#include "protocol.h"
#include "publisher_core.h"
#include "session_core.h"
#include "stream_impl.h"
#include "wire_buffer.h"
#include "sized_struct.hpp"

using otc::client::PublisherCore;

extern "C" {

otc_publisher_settings* otc_publisher_settings_new(void) { return new (std::nothrow) otc_publisher_settings(); }

void otc_publisher_settings_delete(otc_publisher_settings* settings) { delete settings; }

otc_status otc_publisher_settings_set_audio_track(otc_publisher_settings* settings, otc_bool enabled) {
  if (!settings) return OTC_ERR_INVALID_PARAM;
  settings->s.has_audio = enabled != 0;
  return OTC_SUCCESS;
}

otc_status otc_publisher_settings_set_video_track(otc_publisher_settings* settings, otc_bool enabled) {
  if (!settings) return OTC_ERR_INVALID_PARAM;
  settings->s.has_video = enabled != 0;
  return OTC_SUCCESS;
}

otc_status otc_publisher_settings_set_video_codec(otc_publisher_settings* settings, int codec) {
  if (!settings) return OTC_ERR_INVALID_PARAM;
  if (!otc_codec_is_valid_for(OTC_MEDIA_TYPE_VIDEO, codec)) return OTC_PUBLISHER_UNSUPPORTED_CODEC;
  settings->s.video_codec = codec;
  return OTC_SUCCESS;
}

otc_status otc_publisher_settings_set_audio_codec(otc_publisher_settings* settings, int codec) {
  if (!settings) return OTC_ERR_INVALID_PARAM;
  if (!otc_codec_is_valid_for(OTC_MEDIA_TYPE_AUDIO, codec)) return OTC_PUBLISHER_UNSUPPORTED_CODEC;
  settings->s.audio_codec = codec;
  return OTC_SUCCESS;
}

otc_publisher* otc_publisher_new(const char* name, const struct otc_publisher_callbacks* callbacks,
                                 const otc_publisher_settings* settings) {
  if (!callbacks) return nullptr;
  if (name && (std::strlen(name) > otc::client::wire::kMaxIdBytes || !otc::client::is_valid_utf8(name))) return nullptr;
  otc::client::PublisherSettings ps = settings ? settings->s : otc::client::PublisherSettings{};
  if (!ps.has_audio && !ps.has_video) return nullptr;
  try {
    auto core = std::make_shared<PublisherCore>(name ? name : "", callbacks, ps);
    auto* handle = new otc_publisher{core};
    core->gate().set(handle);
    return handle;
  } catch (...) {
    return nullptr;
  }
}

otc_status otc_publisher_delete(otc_publisher* publisher) {
  if (!publisher) return OTC_SUCCESS;
  otc_status st = OTC_SUCCESS;
  try {
    publisher->core->gate().clear();
    if (auto session = publisher->core->session()) session->unpublish(publisher->core);
  } catch (...) {
    st = OTC_ERR_FATAL;
  }
  delete publisher;
  return st;
}

otc_status otc_publisher_send_frame(otc_publisher* publisher, const otc_media_frame* frame) {
  if (!publisher) return OTC_ERR_INVALID_PARAM;
  try {
    return publisher->core->send_frame(frame);
  } catch (const std::bad_alloc&) {
    return OTC_ERR_NO_MEMORY;
  } catch (...) {
    return OTC_ERR_FATAL;
  }
}

otc_status otc_publisher_get_stream_id(const otc_publisher* publisher, char* out, size_t out_capacity) {
  if (!publisher || !out) return OTC_ERR_INVALID_PARAM;
  auto stream = publisher->core->stream();
  if (!stream) return OTC_ERR_INVALID_STATE;
  if (stream->id.size() + 1 > out_capacity) return OTC_ERR_BUFFER_TOO_SMALL;
  std::memcpy(out, stream->id.c_str(), stream->id.size() + 1);
  return OTC_SUCCESS;
}

otc_status otc_publisher_get_stats(const otc_publisher* publisher, otc_publisher_stats* stats) {
  if (!publisher || !stats) return OTC_ERR_INVALID_PARAM;
  otc_publisher_stats full{};
  publisher->core->get_stats(&full);
  return otc::fill_sized(full, stats);
}

}  // extern "C"
