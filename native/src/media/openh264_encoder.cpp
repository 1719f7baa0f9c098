// H.264 encoding through OpenH264: constrained baseline (CAVLC, no B frames), one slice, real-time
// camera mode, no frame skipping, IDR frames at the start, on a size change and on request.
// Output is Annex B (start codes), SPS/PPS in front of every IDR so any keyframe starts a stream.
#include <wels/codec_api.h>

#include "codec_factories.hpp"
#include "video_encoder_base.hpp"

namespace otc::media {
namespace {

class OpenH264Encoder final : public VideoEncoderBase {
 public:
  explicit OpenH264Encoder(const VideoEncoderConfig& config) : VideoEncoderBase(config, true) {}
  ~OpenH264Encoder() override { close(); }
  OpenH264Encoder(const OpenH264Encoder&) = delete;
  OpenH264Encoder& operator=(const OpenH264Encoder&) = delete;

  int codec() const override { return OTC_CODEC_H264; }

 private:
  bool is_open() const override { return encoder_ != nullptr; }

  otc_status encode_picture(const otc_video_frame& input, int width, int height, bool force_keyframe, bool fresh,
                            EncodedVideo& out) override {
    // A fresh encoder starts with an IDR by itself.
    if (!fresh && force_keyframe && encoder_->ForceIntraFrame(true) != cmResultSuccess) {
      return OTC_ERR_FATAL;
    }
    SSourcePicture picture{};
    picture.iColorFormat = videoFormatI420;
    picture.iPicWidth = width;
    picture.iPicHeight = height;
    for (int i = 0; i < 3; ++i) {
      picture.pData[i] = const_cast<unsigned char*>(input.data[i]);
      picture.iStride[i] = input.stride[i];
    }
    picture.uiTimeStamp = frame_index_++ * 1000 / config().fps;
    SFrameBSInfo info{};
    if (encoder_->EncodeFrame(&picture, &info) != cmResultSuccess) {
      return OTC_ERR_FATAL;
    }
    if (info.eFrameType == videoFrameTypeInvalid) {
      return OTC_ERR_FATAL;
    }
    for (int layer = 0; layer < info.iLayerNum; ++layer) {
      const SLayerBSInfo& l = info.sLayerInfo[layer];
      std::size_t size = 0;
      for (int nal = 0; nal < l.iNalCount; ++nal) {
        size += static_cast<std::size_t>(l.pNalLengthInByte[nal]);
      }
      out.bytes.insert(out.bytes.end(), l.pBsBuf, l.pBsBuf + size);
    }
    out.keyframe = info.eFrameType == videoFrameTypeIDR;
    return OTC_SUCCESS;
  }

  otc_status apply_rates() override {
    SBitrateInfo bitrate{};
    bitrate.iLayer = SPATIAL_LAYER_ALL;
    bitrate.iBitrate = config().bitrate_kbps * 1000;
    float rate = static_cast<float>(config().fps);
    const bool ok = encoder_->SetOption(ENCODER_OPTION_BITRATE, &bitrate) == cmResultSuccess &&
                    encoder_->SetOption(ENCODER_OPTION_FRAME_RATE, &rate) == cmResultSuccess;
    return ok ? OTC_SUCCESS : OTC_ERR_FATAL;
  }

  otc_status open(int width, int height) override {
    close();
    if (WelsCreateSVCEncoder(&encoder_) != 0 || encoder_ == nullptr) {
      encoder_ = nullptr;
      return OTC_ERR_FATAL;
    }
    int quiet = WELS_LOG_QUIET;  // OpenH264 logs to stderr otherwise
    encoder_->SetOption(ENCODER_OPTION_TRACE_LEVEL, &quiet);
    SEncParamExt param{};
    if (encoder_->GetDefaultParams(&param) != cmResultSuccess) {
      close();
      return OTC_ERR_FATAL;
    }
    param.iUsageType = CAMERA_VIDEO_REAL_TIME;
    param.iPicWidth = width;
    param.iPicHeight = height;
    param.iTargetBitrate = config().bitrate_kbps * 1000;
    param.iMaxBitrate = UNSPECIFIED_BIT_RATE;
    param.iRCMode = RC_BITRATE_MODE;
    param.fMaxFrameRate = static_cast<float>(config().fps);
    param.iTemporalLayerNum = 1;
    param.iSpatialLayerNum = 1;
    param.bEnableFrameSkip = false;     // every input yields a frame: keeps count and order 1:1
    param.uiIntraPeriod = 0;            // IDR on request only
    param.eSpsPpsIdStrategy = CONSTANT_ID;
    param.bPrefixNalAddingCtrl = false;
    param.bEnableDenoise = false;
    param.bEnableBackgroundDetection = true;
    param.bEnableAdaptiveQuant = true;
    param.bEnableLongTermReference = false;
    param.iEntropyCodingModeFlag = 0;   // CAVLC: constrained baseline, decodable everywhere
    param.iMultipleThreadIdc = 1;       // the pipeline runs streams in parallel, not one stream's slices
    param.iComplexityMode = LOW_COMPLEXITY;
    SSpatialLayerConfig& layer = param.sSpatialLayers[0];
    layer.iVideoWidth = width;
    layer.iVideoHeight = height;
    layer.fFrameRate = static_cast<float>(config().fps);
    layer.iSpatialBitrate = param.iTargetBitrate;
    layer.iMaxSpatialBitrate = UNSPECIFIED_BIT_RATE;
    layer.uiProfileIdc = PRO_BASELINE;
    layer.sSliceArgument.uiSliceMode = SM_SINGLE_SLICE;
    if (encoder_->InitializeExt(&param) != cmResultSuccess) {
      close();
      return OTC_ERR_FATAL;
    }
    int format = videoFormatI420;
    if (encoder_->SetOption(ENCODER_OPTION_DATAFORMAT, &format) != cmResultSuccess) {
      close();
      return OTC_ERR_FATAL;
    }
    frame_index_ = 0;
    return OTC_SUCCESS;
  }

  void close() {
    if (encoder_ != nullptr) {
      encoder_->Uninitialize();
      WelsDestroySVCEncoder(encoder_);
      encoder_ = nullptr;
    }
  }

  ISVCEncoder* encoder_ = nullptr;
  long long frame_index_ = 0;
};

}  // namespace

std::unique_ptr<VideoEncoder> make_openh264_encoder(const VideoEncoderConfig& config, otc_status& status) {
  auto encoder = std::make_unique<OpenH264Encoder>(config);
  status = encoder->open_at_configured_size();
  return status == OTC_SUCCESS ? std::move(encoder) : nullptr;
}

}  // namespace otc::media
