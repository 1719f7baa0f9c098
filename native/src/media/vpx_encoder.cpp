// VP8 and VP9 encoding through libvpx with real-time settings: one pass, no lookahead, CBR, no
// dropped frames, keyframes only at the start, on a size change and on request (the E2EE flow
// asks for them after a secret match or a new subscriber; periodic ones would only cost bits).
#include <vpx/vp8cx.h>
#include <vpx/vpx_encoder.h>

#include "codec_factories.hpp"
#include "video_encoder_base.hpp"

namespace otc::media {
namespace {

// Speed over quality, as for live video: libvpx's real-time presets use -6..-16 / 5..9.
constexpr int kVp8CpuUsed = 10;
constexpr int kVp9CpuUsed = 8;
// Timestamps in the 90 kHz clock of RTP video.
constexpr int kTimebaseHz = 90000;

class VpxEncoder final : public VideoEncoderBase {
 public:
  VpxEncoder(int codec, const VideoEncoderConfig& config) : VideoEncoderBase(config, false), codec_(codec) {}
  ~VpxEncoder() override { close(); }
  VpxEncoder(const VpxEncoder&) = delete;
  VpxEncoder& operator=(const VpxEncoder&) = delete;

  int codec() const override { return codec_; }

 private:
  bool is_open() const override { return open_; }

  otc_status encode_picture(const otc_video_frame& input, int width, int height, bool force_keyframe, bool fresh,
                            EncodedVideo& out) override {
    vpx_image_t image;
    // Wrap with a dummy buffer, then point the planes at the frame's own (strides may be wider).
    if (vpx_img_wrap(&image, VPX_IMG_FMT_I420, static_cast<unsigned>(width), static_cast<unsigned>(height), 1,
                     const_cast<unsigned char*>(input.data[0])) == nullptr) {
      return OTC_ERR_FATAL;
    }
    for (int i = 0; i < 3; ++i) {
      image.planes[i] = const_cast<unsigned char*>(input.data[i]);
      image.stride[i] = input.stride[i];
    }
    const vpx_enc_frame_flags_t flags = force_keyframe || fresh ? VPX_EFLAG_FORCE_KF : 0;
    const unsigned long duration = static_cast<unsigned long>(kTimebaseHz / config().fps);
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
    return OTC_SUCCESS;
  }

  otc_status apply_rates() override {
    // The frame rate reaches the rate control through each frame's duration (encode_picture()).
    cfg_.rc_target_bitrate = static_cast<unsigned>(config().bitrate_kbps);
    return vpx_codec_enc_config_set(&ctx_, &cfg_) == VPX_CODEC_OK ? OTC_SUCCESS : OTC_ERR_FATAL;
  }

  otc_status open(int width, int height) override {
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
    cfg_.rc_target_bitrate = static_cast<unsigned>(config().bitrate_kbps);
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
    pts_ = 0;
    return OTC_SUCCESS;
  }

  void close() {
    if (open_) {
      vpx_codec_destroy(&ctx_);
      open_ = false;
    }
  }

  const int codec_;
  vpx_codec_ctx_t ctx_{};
  vpx_codec_enc_cfg_t cfg_{};
  bool open_ = false;
  vpx_codec_pts_t pts_ = 0;
};

}  // namespace

std::unique_ptr<VideoEncoder> make_vpx_encoder(int codec, const VideoEncoderConfig& config, otc_status& status) {
  auto encoder = std::make_unique<VpxEncoder>(codec, config);
  status = encoder->open_at_configured_size();
  return status == OTC_SUCCESS ? std::move(encoder) : nullptr;
}

}  // namespace otc::media
