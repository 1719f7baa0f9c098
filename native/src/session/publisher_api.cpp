// C API of publishers and publisher settings (otc/publisher.h).
#include <cstring>
#include <new>

#include "otc/publisher.h"
#include "protocol.hpp"
#include "c_api_guard.hpp"
#include "publisher_core.hpp"
#include "video_capture.hpp"
#include "session_core.hpp"
#include "stream_impl.hpp"
#include "wire_buffer.hpp"
#include "sized_struct.hpp"
#include "utf8.hpp"

using otc::client::PublisherCore;

extern "C" {

otc_publisher_settings* otc_publisher_settings_new(void) { return new (std::nothrow) otc_publisher_settings(); }

otc_status otc_publisher_settings_delete(otc_publisher_settings* settings) {
  delete settings;  // NULL: a no-op, as for every *_delete (otc.h)
  return OTC_SUCCESS;
}

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

otc_status otc_publisher_settings_set_video_bitrate(otc_publisher_settings* settings, int bits_per_second) {
  if (!settings || bits_per_second < 50000 || bits_per_second > 20000000) return OTC_ERR_INVALID_PARAM;
  settings->s.video_bitrate_bps = bits_per_second;
  return OTC_SUCCESS;
}

otc_status otc_publisher_settings_set_name(otc_publisher_settings* settings, const char* name) {
  if (!settings || !otc::is_valid_c_text(name, otc::client::wire::kMaxIdBytes)) {
    return OTC_ERR_INVALID_PARAM;
  }
  return otc::guarded([&] {
    settings->s.name = name;
    settings->s.has_name = true;
    return OTC_SUCCESS;
  });
}

otc_publisher* otc_publisher_new_with_settings(const char* name,
                                               const struct otc_video_capturer_callbacks* video_capturer,
                                               const struct otc_publisher_callbacks* callbacks,
                                               const otc_publisher_settings* settings) {
  if (!callbacks) return nullptr;
  if (name && !otc::is_valid_c_text(name, otc::client::wire::kMaxIdBytes)) return nullptr;
  otc::client::PublisherSettings ps = settings ? settings->s : otc::client::PublisherSettings{};
  if (!ps.has_audio && !ps.has_video) return nullptr;
  if (video_capturer && (!ps.has_video || !video_capturer->get_capture_settings)) return nullptr;
  return otc::guarded_or<otc_publisher*>(nullptr, [&]() -> otc_publisher* {
    const std::string shown = ps.has_name ? ps.name : (name ? name : "");
    auto core = std::make_shared<PublisherCore>(shown, callbacks, ps);
    if (video_capturer) {
      auto capture = std::make_shared<otc::client::CapturePipeline>(*video_capturer, ps.video_codec,
                                                                    ps.video_bitrate_bps);
      // init and get_capture_settings run here, on the caller's thread (otc/video_capturer.h).
      if (!capture->init(core)) return nullptr;
      core->set_capture(std::move(capture));
    }
    std::unique_ptr<otc_publisher> handle(new otc_publisher{core});
    core->gate().set(handle.get());
    return handle.release();
  });
}

otc_publisher* otc_publisher_new(const char* name, const struct otc_video_capturer_callbacks* video_capturer,
                                 const struct otc_publisher_callbacks* callbacks) {
  return otc_publisher_new_with_settings(name, video_capturer, callbacks, nullptr);
}

otc_status otc_publisher_set_publish_video(otc_publisher* publisher, otc_bool publish_video) {
  if (!publisher) return OTC_ERR_INVALID_PARAM;
  return otc::guarded([&] { return publisher->core->set_publish_video(publish_video != 0); });
}

otc_status otc_publisher_set_publish_audio(otc_publisher* publisher, otc_bool publish_audio) {
  if (!publisher) return OTC_ERR_INVALID_PARAM;
  return otc::guarded([&] { return publisher->core->set_publish_audio(publish_audio != 0); });
}

otc_status otc_publisher_delete(otc_publisher* publisher) {
  if (!publisher) return OTC_SUCCESS;
  const otc_status st = otc::guarded([&] {
    publisher->core->gate().clear();
    if (auto session = publisher->core->session()) session->unpublish(publisher->core);
    // After the gate is closed no start can follow; stop (if started) and destroy run here.
    publisher->core->shutdown_media();
    return OTC_SUCCESS;
  });
  // The handle goes whatever happened above: the caller may not use it again.
  delete publisher;
  return st;
}

otc_status otc_publisher_send_frame(otc_publisher* publisher, const otc_media_frame* frame) {
  if (!publisher) return OTC_ERR_INVALID_PARAM;
  return otc::guarded([&] { return publisher->core->send_frame(frame); });
}

otc_status otc_publisher_get_stream_id(const otc_publisher* publisher, char* out, std::size_t out_capacity) {
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
