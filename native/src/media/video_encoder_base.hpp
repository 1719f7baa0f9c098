// What every video encoder does around its codec library: the input checked and brought to
// YUV420P at the encoded size, the codec (re)opened whenever that size changes, the rate limits.
// A subclass only opens its codec and encodes one prepared picture.
#ifndef OTC_SRC_MEDIA_VIDEO_ENCODER_BASE_HPP
#define OTC_SRC_MEDIA_VIDEO_ENCODER_BASE_HPP

#include "codec.hpp"
#include "video_frame_internal.hpp"

namespace otc::media {

class VideoEncoderBase : public VideoEncoder {
 public:
  otc_status encode(const otc_video_frame& frame, bool force_keyframe, EncodedVideo& out) final;
  otc_status set_rates(int bitrate_kbps, int fps) final;

  // Opens the codec at the configured size now, so that a library that cannot start shows at
  // creation; an encoder that follows its input's size (configured 0 x 0) opens at its first frame.
  otc_status open_at_configured_size();

 protected:
  // even_size: the codec needs even dimensions (H.264 4:2:0); odd sizes are rounded down.
  VideoEncoderBase(const VideoEncoderConfig& config, bool even_size) : config_(config), even_size_(even_size) {}

  const VideoEncoderConfig& config() const { return config_; }

 private:
  virtual bool is_open() const = 0;
  // (Re)starts the codec for width x height pictures at config()'s rates.
  virtual otc_status open(int width, int height) = 0;
  // Hands config()'s new rates to the open codec.
  virtual otc_status apply_rates() = 0;
  // Encodes the top-left width x height of `picture` (YUV420P; the size last opened; an odd-sized
  // picture may be one column/row larger) into `out` (cleared; the base sets its size).
  // fresh: the codec was opened for this picture.
  virtual otc_status encode_picture(const otc_video_frame& picture, int width, int height, bool force_keyframe,
                                    bool fresh, EncodedVideo& out) = 0;

  otc_status open_checked(int width, int height);

  VideoEncoderConfig config_;
  const bool even_size_;
  int width_ = 0;
  int height_ = 0;
  VideoFramePtr scratch_;  // converted/scaled input, reused
};

}  // namespace otc::media

#endif
