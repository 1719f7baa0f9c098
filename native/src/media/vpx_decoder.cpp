// VP8 and VP9 decoding through libvpx. Input is untrusted (a peer may send anything that
// authenticates): sizes are checked before libvpx allocates, decoding starts only at a keyframe,
// and a frame libvpx reports as corrupt is an error, not a picture.
#include <vpx/vp8dx.h>
#include <vpx/vpx_decoder.h>

#include "codec_factories.hpp"
#include "keyframe_gate.hpp"

namespace otc::media {
namespace {

class VpxDecoder final : public VideoDecoder {
 public:
  explicit VpxDecoder(int codec) : codec_(codec) {}
  ~VpxDecoder() override {
    if (open_) {
      vpx_codec_destroy(&ctx_);
    }
  }
  VpxDecoder(const VpxDecoder&) = delete;
  VpxDecoder& operator=(const VpxDecoder&) = delete;

  otc_status open() {
    vpx_codec_dec_cfg_t cfg{};
    cfg.threads = 1;
    if (vpx_codec_dec_init(&ctx_, iface(), &cfg, 0) != VPX_CODEC_OK) {
      return OTC_ERR_FATAL;
    }
    open_ = true;
    return OTC_SUCCESS;
  }

  int codec() const override { return codec_; }

  otc_status decode(const std::uint8_t* data, std::size_t size, VideoFramePtr& picture) override {
    picture.reset();
    if (data == nullptr || size == 0 || size > OTC_MEDIA_FRAME_MAX_SIZE) {
      return OTC_ERR_INVALID_PARAM;
    }
    vpx_codec_stream_info_t info{};
    info.sz = sizeof(info);
    const bool peeked = vpx_codec_peek_stream_info(iface(), data, static_cast<unsigned>(size), &info) == VPX_CODEC_OK;
    const bool keyframe = peeked && info.is_kf != 0;
    // The size a keyframe announces, before libvpx allocates for it.
    if (keyframe && (info.w == 0 || info.h == 0 || info.w > OTC_VIDEO_FRAME_MAX_DIMENSION ||
                     info.h > OTC_VIDEO_FRAME_MAX_DIMENSION)) {
      gate_.failed();
      return OTC_FRAME_MALFORMED;
    }
    if (!gate_.admit(keyframe)) {
      return OTC_FRAME_MALFORMED;
    }
    if (vpx_codec_decode(&ctx_, data, static_cast<unsigned>(size), nullptr, 0) != VPX_CODEC_OK) {
      gate_.failed();
      return OTC_FRAME_MALFORMED;
    }
    int corrupted = 0;
    if (vpx_codec_control(&ctx_, VP8D_GET_FRAME_CORRUPTED, &corrupted) != VPX_CODEC_OK || corrupted != 0) {
      gate_.failed();
      return OTC_FRAME_MALFORMED;
    }
    vpx_codec_iter_t iter = nullptr;
    const vpx_image_t* image = vpx_codec_get_frame(&ctx_, &iter);
    if (image == nullptr) {
      return OTC_SUCCESS;  // nothing to show (e.g. a VP9 frame not meant for display)
    }
    // A peer could send 4:4:4, high bit depth or an oversized VP9 inter frame: not what we render.
    if (image->fmt != VPX_IMG_FMT_I420 || image->d_w == 0 || image->d_h == 0 ||
        image->d_w > OTC_VIDEO_FRAME_MAX_DIMENSION || image->d_h > OTC_VIDEO_FRAME_MAX_DIMENSION) {
      gate_.failed();
      return OTC_FRAME_MALFORMED;
    }
    const std::uint8_t* planes[3] = {image->planes[0], image->planes[1], image->planes[2]};
    const int strides[3] = {image->stride[0], image->stride[1], image->stride[2]};
    otc_video_frame view;
    otc_status status = make_view(OTC_VIDEO_FRAME_FORMAT_YUV420P, static_cast<int>(image->d_w),
                                  static_cast<int>(image->d_h), planes, strides, view);
    if (status != OTC_SUCCESS) {
      gate_.failed();
      return OTC_FRAME_MALFORMED;
    }
    return copy_frame(view, picture);
  }

 private:
  vpx_codec_iface_t* iface() const { return codec_ == OTC_CODEC_VP8 ? vpx_codec_vp8_dx() : vpx_codec_vp9_dx(); }

  const int codec_;
  vpx_codec_ctx_t ctx_{};
  bool open_ = false;
  KeyframeGate gate_;
};

}  // namespace

std::unique_ptr<VideoDecoder> make_vpx_decoder(int codec, otc_status& status) {
  auto decoder = std::make_unique<VpxDecoder>(codec);
  status = decoder->open();
  return status == OTC_SUCCESS ? std::move(decoder) : nullptr;
}

}  // namespace otc::media
