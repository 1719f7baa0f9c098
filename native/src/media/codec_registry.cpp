// Which codecs this build has, the factories of codec.hpp, and otc_codec_is_supported().
// A build without media (OTC_MEDIA off: the cross builds) has no codecs and no libyuv; its
// factories and conversions answer OTC_ERR_NOT_SUPPORTED.
#include "c_api_guard.hpp"
#include "codec.hpp"
#include "codec_factories.hpp"
#include "otc/capabilities.h"

namespace otc::media {
namespace {

otc_status* status_sink(otc_status* status) {
  static thread_local otc_status ignored;
  return status != nullptr ? status : &ignored;
}

bool valid_config(const VideoEncoderConfig& c) {
  const bool follow_input = c.width == 0 && c.height == 0;
  return (follow_input || valid_dimensions(c.width, c.height)) && c.fps >= 1 && c.fps <= 120 &&
         c.bitrate_kbps >= 10 && c.bitrate_kbps <= 50000;
}

}  // namespace

bool codec_available(int codec) {
#ifdef OTC_WITH_MEDIA
  return codec == OTC_CODEC_VP8 || codec == OTC_CODEC_VP9 || codec == OTC_CODEC_H264 || codec == OTC_CODEC_OPUS;
#else
  (void)codec;
  return false;
#endif
}

std::unique_ptr<VideoEncoder> make_video_encoder(int codec, const VideoEncoderConfig& config, otc_status* status) {
  otc_status& st = *status_sink(status);
  if (!codec_available(codec) || codec == OTC_CODEC_OPUS) {
    st = OTC_ERR_NOT_SUPPORTED;
    return nullptr;
  }
  if (!valid_config(config)) {
    st = OTC_ERR_INVALID_PARAM;
    return nullptr;
  }
  st = OTC_ERR_FATAL;
  try {
    return codec == OTC_CODEC_H264 ? make_openh264_encoder(config, st) : make_vpx_encoder(codec, config, st);
  } catch (const std::bad_alloc&) {
    st = OTC_ERR_NO_MEMORY;
    return nullptr;
  }
}

std::unique_ptr<VideoDecoder> make_video_decoder(int codec, otc_status* status) {
  otc_status& st = *status_sink(status);
  if (!codec_available(codec) || codec == OTC_CODEC_OPUS) {
    st = OTC_ERR_NOT_SUPPORTED;
    return nullptr;
  }
  st = OTC_ERR_FATAL;
  try {
    return codec == OTC_CODEC_H264 ? make_openh264_decoder(st) : make_vpx_decoder(codec, st);
  } catch (const std::bad_alloc&) {
    st = OTC_ERR_NO_MEMORY;
    return nullptr;
  }
}

std::unique_ptr<AudioEncoder> make_audio_encoder(int codec, const AudioEncoderConfig& config, otc_status* status) {
  otc_status& st = *status_sink(status);
  if (codec != OTC_CODEC_OPUS || !codec_available(codec)) {
    st = OTC_ERR_NOT_SUPPORTED;
    return nullptr;
  }
  if ((config.channels != 1 && config.channels != 2) || config.bitrate_bps < 6000 || config.bitrate_bps > 510000) {
    st = OTC_ERR_INVALID_PARAM;
    return nullptr;
  }
  st = OTC_ERR_FATAL;
  try {
    return make_opus_encoder(config, st);
  } catch (const std::bad_alloc&) {
    st = OTC_ERR_NO_MEMORY;
    return nullptr;
  }
}

std::unique_ptr<AudioDecoder> make_audio_decoder(int codec, int channels, otc_status* status) {
  otc_status& st = *status_sink(status);
  if (codec != OTC_CODEC_OPUS || !codec_available(codec)) {
    st = OTC_ERR_NOT_SUPPORTED;
    return nullptr;
  }
  if (channels != 1 && channels != 2) {
    st = OTC_ERR_INVALID_PARAM;
    return nullptr;
  }
  st = OTC_ERR_FATAL;
  try {
    return make_opus_decoder(channels, st);
  } catch (const std::bad_alloc&) {
    st = OTC_ERR_NO_MEMORY;
    return nullptr;
  }
}

#ifndef OTC_WITH_MEDIA
// No libyuv in this build: only same-format copies.
otc_status convert_frame(const otc_video_frame& src, otc_video_frame_format format, VideoFramePtr& out) {
  return format == src.format ? copy_frame(src, out) : OTC_ERR_NOT_SUPPORTED;
}
otc_status scale_i420(const otc_video_frame&, int, int, VideoFramePtr&) { return OTC_ERR_NOT_SUPPORTED; }
// Never reached (codec_available is false), but the factories above name them.
std::unique_ptr<VideoEncoder> make_vpx_encoder(int, const VideoEncoderConfig&, otc_status& s) { s = OTC_ERR_NOT_SUPPORTED; return nullptr; }
std::unique_ptr<VideoDecoder> make_vpx_decoder(int, otc_status& s) { s = OTC_ERR_NOT_SUPPORTED; return nullptr; }
std::unique_ptr<VideoEncoder> make_openh264_encoder(const VideoEncoderConfig&, otc_status& s) { s = OTC_ERR_NOT_SUPPORTED; return nullptr; }
std::unique_ptr<VideoDecoder> make_openh264_decoder(otc_status& s) { s = OTC_ERR_NOT_SUPPORTED; return nullptr; }
std::unique_ptr<AudioEncoder> make_opus_encoder(const AudioEncoderConfig&, otc_status& s) { s = OTC_ERR_NOT_SUPPORTED; return nullptr; }
std::unique_ptr<AudioDecoder> make_opus_decoder(int, otc_status& s) { s = OTC_ERR_NOT_SUPPORTED; return nullptr; }
#endif

}  // namespace otc::media

extern "C" otc_bool otc_codec_is_supported(int codec) {
  return otc::media::codec_available(codec) ? OTC_TRUE : OTC_FALSE;
}
