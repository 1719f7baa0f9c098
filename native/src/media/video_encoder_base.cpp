#include "video_encoder_base.hpp"

#include "encoder_input.hpp"

namespace otc::media {

otc_status VideoEncoderBase::encode(const otc_video_frame& frame, bool force_keyframe, EncodedVideo& out) {
  out.bytes.clear();
  out.keyframe = false;
  int width = 0;
  int height = 0;
  const otc_video_frame* input = nullptr;
  otc_status status =
      prepare_encoder_input(frame, config_.width, config_.height, even_size_, scratch_, input, width, height);
  if (status != OTC_SUCCESS) {
    return status;
  }
  const bool fresh = !is_open() || width != width_ || height != height_;
  if (fresh && (status = open_checked(width, height)) != OTC_SUCCESS) {
    return status;
  }
  status = encode_picture(*input, width, height, force_keyframe, fresh, out);
  if (status != OTC_SUCCESS) {
    return status;
  }
  out.width = width;
  out.height = height;
  return OTC_SUCCESS;
}

otc_status VideoEncoderBase::set_rates(int bitrate_kbps, int fps) {
  if (bitrate_kbps < 10 || bitrate_kbps > 50000 || fps < 1 || fps > 120) {
    return OTC_ERR_INVALID_PARAM;
  }
  config_.bitrate_kbps = bitrate_kbps;
  config_.fps = fps;
  return is_open() ? apply_rates() : OTC_SUCCESS;
}

otc_status VideoEncoderBase::open_at_configured_size() {
  if (config_.width <= 0) {
    return OTC_SUCCESS;
  }
  int width = 0;
  int height = 0;
  encoded_size(config_.width, config_.height, config_.width, config_.height, even_size_, width, height);
  return open_checked(width, height);
}

otc_status VideoEncoderBase::open_checked(int width, int height) {
  const otc_status status = open(width, height);
  if (status == OTC_SUCCESS) {
    width_ = width;
    height_ = height;
  }
  return status;
}

}  // namespace otc::media
