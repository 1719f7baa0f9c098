// VP8 and VP9 encoding through libvpx with real-time settings: one pass, no lookahead, CBR, no
// dropped frames, keyframes only at the start, on a size change and on request (the E2EE flow
// asks for them after a secret match or a new subscriber; periodic ones would only cost bits).
#include <vpx/vp8cx.h>
#include <vpx/vpx_encoder.h>

#include "codec_factories.hpp"
#include "encoder_input.hpp"

namespace otc::media {
namespace {

// Speed over quality, as for live video: libvpx's real-time presets use -6..-16 / 5..9.
constexpr int kVp8CpuUsed = 10;
constexpr int kVp9CpuUsed = 8;
// Timestamps in the 90 kHz clock of RTP video.
constexpr int kTimebaseHz = 90000;

class VpxEncoder final : public VideoEncoder {
 public:
  VpxEncoder(int codec, const VideoEncoderConfig& config) : codec_(codec), config_(config) {}
  ~VpxEncoder() override { close(); }
  VpxEncoder(const VpxEncoder&) = delete;
  VpxEncoder& operator=(const VpxEncoder&) = delete;

  int codec() const override { return codec_; }

  otc_status encode(const otc_video_frame& frame, bool force_keyframe, EncodedVideo& out) override {
    out.bytes.clear();
    out.keyframe = false;
    int width = 0;
    int height = 0;
    const otc_video_frame* input = nullptr;
    otc_status status =
        prepare_encoder_input(frame, config_.width, config_.height, false, scratch_, input, width, height);
    if (status != OTC_SUCCESS) {
      return status;
    }
    if (!open_ || width != width_ || height != height_) {
      status = open(width, height);
      if (status != OTC_SUCCESS) {
        return status;
      }
      force_keyframe = true;
    }
    vpx_image_t image;
    // Wrap with a dummy buffer, then point the planes at the frame's own (strides may be wider).
    if (vpx_img_wrap(&image, VPX_IMG_FMT_I420, static_cast<unsigned>(width), static_cast<unsigned>(height), 1,
                     const_cast<unsigned char*>(input->data[0])) == nullptr) {
      return OTC_ERR_FATAL;
    }
    for (int i = 0; i < 3; ++i) {
      image.planes[i] = const_cast<unsigned char*>(input->data[i]);
      image.stride[i] = input->stride[i];
    }
    const vpx_enc_frame_flags_t flags = force_keyframe ? VPX_EFLAG_FORCE_KF : 0;
    const unsigned long duration = static_cast<unsigned long>(kTimebaseHz / config_.fps);
    if (vpx_codec_encode(&ctx_, &image, pts_, duration, flags, VPX_DL_REALTIME) != VPX_CODEC_OK) {
      return OTC_ERR_FATAL;
    }
    vpx_codec_iter_t iter = nullptr;
    while (const vpx_codec_cx_pkt_t* pkt = vpx_codec_get_cx_data(&ctx_, &iter)) {
      if (pkt->kind != VPX_CODEC_CX_FRAME_PKT) {
        continue;
      }
      const auto* bytes = static_cast<const std::uint8_t*>(pkt->data.frame.buf);
      out.bytes.insert(out.bytes.end(), bytes, bytes + pkt->data.frame.sz);
      out.keyframe = out.keyframe || (pkt->data.frame.flags & VPX_FRAME_IS_KEY) != 0;
    }
    pts_ += static_cast<vpx_codec_pts_t>(duration);
    out.width = width;
    out.height = height;
    return OTC_SUCCESS;
  }

  otc_status set_rates(int bitrate_kbps, int fps) override {
    if (bitrate_kbps < 10 || bitrate_kbps > 50000 || fps < 1 || fps > 120) {
      return OTC_ERR_INVALID_PARAM;
    }
    config_.bitrate_kbps = bitrate_kbps;
    config_.fps = fps;
    if (!open_) {
      return OTC_SUCCESS;
    }
    // The frame rate reaches the rate control through each frame's duration (encode()).
    cfg_.rc_target_bitrate = static_cast<unsigned>(bitrate_kbps);
    return vpx_codec_enc_config_set(&ctx_, &cfg_) == VPX_CODEC_OK ? OTC_SUCCESS : OTC_ERR_FATAL;
  }

  otc_status open(int width, int height) {
    close();
    vpx_codec_iface_t* iface = codec_ == OTC_CODEC_VP8 ? vpx_codec_vp8_cx() : vpx_codec_vp9_cx();
    if (vpx_codec_enc_config_default(iface, &cfg_, 0) != VPX_CODEC_OK) {
      return OTC_ERR_FATAL;
    }
    cfg_.g_w = static_cast<unsigned>(width);
    cfg_.g_h = static_cast<unsigned>(height);
    cfg_.g_timebase = {1, kTimebaseHz};  // fixed, so a frame-rate change is only a new duration
    cfg_.g_threads = 1;                  // the pipeline runs streams in parallel, not one stream's slices
    cfg_.g_lag_in_frames = 0;
    cfg_.g_pass = VPX_RC_ONE_PASS;
    cfg_.g_error_resilient = VPX_ERROR_RESILIENT_DEFAULT;  // decodable after a lost (refused) frame
    cfg_.rc_end_usage = VPX_CBR;
    cfg_.rc_target_bitrate = static_cast<unsigned>(config_.bitrate_kbps);
    cfg_.rc_dropframe_thresh = 0;        // every input yields a frame: keeps count and order 1:1
    cfg_.rc_min_quantizer = 2;
    cfg_.rc_max_quantizer = 56;
    cfg_.rc_undershoot_pct = 100;
    cfg_.rc_overshoot_pct = 15;
    cfg_.rc_buf_initial_sz = 500;
    cfg_.rc_buf_optimal_sz = 600;
    cfg_.rc_buf_sz = 1000;
    cfg_.kf_mode = VPX_KF_DISABLED;      // keyframes on request (and first frame) only
    if (vpx_codec_enc_init(&ctx_, iface, &cfg_, 0) != VPX_CODEC_OK) {
      return OTC_ERR_FATAL;
    }
    open_ = true;
    bool ok = vpx_codec_control(&ctx_, VP8E_SET_CPUUSED, codec_ == OTC_CODEC_VP8 ? kVp8CpuUsed : kVp9CpuUsed) ==
              VPX_CODEC_OK;
    if (codec_ == OTC_CODEC_VP9) {
      ok = ok && vpx_codec_control(&ctx_, VP9E_SET_AQ_MODE, 3U) == VPX_CODEC_OK;  // cyclic refresh
    } else {
      ok = ok && vpx_codec_control(&ctx_, VP8E_SET_STATIC_THRESHOLD, 1U) == VPX_CODEC_OK;
    }
    if (!ok) {
      close();
      return OTC_ERR_FATAL;
    }
    width_ = width;
    height_ = height;
    pts_ = 0;
    return OTC_SUCCESS;
  }

  void close() {
    if (open_) {
      vpx_codec_destroy(&ctx_);
      open_ = false;
    }
  }

 private:
  const int codec_;
  VideoEncoderConfig config_;
  vpx_codec_ctx_t ctx_{};
  vpx_codec_enc_cfg_t cfg_{};
  bool open_ = false;
  int width_ = 0;
  int height_ = 0;
  vpx_codec_pts_t pts_ = 0;
  VideoFramePtr scratch_;  // converted/scaled input, reused
};

}  // namespace

std::unique_ptr<VideoEncoder> make_vpx_encoder(int codec, const VideoEncoderConfig& config, otc_status& status) {
  auto encoder = std::make_unique<VpxEncoder>(codec, config);
  // Open at the configured size now so a broken libvpx shows at creation; follow-input encoders
  // open at their first frame.
  if (config.width > 0) {
    status = encoder->open(config.width, config.height);
    if (status != OTC_SUCCESS) {
      return nullptr;
    }
  }
  status = OTC_SUCCESS;
  return encoder;
}

}  // namespace otc::media
