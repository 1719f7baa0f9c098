// H.264 decoding through OpenH264 (Annex B input). Input is untrusted: sequence parameter sets
// announcing more than OTC_VIDEO_FRAME_MAX_DIMENSION are refused before OpenH264 allocates for
// them, decoding starts at an IDR access unit, error concealment is off (a broken frame is an error, not a smeared picture), and
// after an error the decoder waits for the next IDR.
#include <wels/codec_api.h>

#include "codec_factories.hpp"
#include "h264_nal.hpp"
#include "keyframe_gate.hpp"

namespace otc::media {
namespace {

class OpenH264Decoder final : public VideoDecoder {
 public:
  OpenH264Decoder() = default;
  ~OpenH264Decoder() override {
    if (decoder_ != nullptr) {
      decoder_->Uninitialize();
      WelsDestroyDecoder(decoder_);
    }
  }
  OpenH264Decoder(const OpenH264Decoder&) = delete;
  OpenH264Decoder& operator=(const OpenH264Decoder&) = delete;

  otc_status open() {
    if (WelsCreateDecoder(&decoder_) != 0 || decoder_ == nullptr) {
      decoder_ = nullptr;
      return OTC_ERR_FATAL;
    }
    int quiet = WELS_LOG_QUIET;
    decoder_->SetOption(DECODER_OPTION_TRACE_LEVEL, &quiet);
    SDecodingParam param{};
    param.sVideoProperty.eVideoBsType = VIDEO_BITSTREAM_AVC;
    param.eEcActiveIdc = ERROR_CON_DISABLE;
    return decoder_->Initialize(&param) == cmResultSuccess ? OTC_SUCCESS : OTC_ERR_FATAL;
  }

  int codec() const override { return OTC_CODEC_H264; }

  otc_status decode(const std::uint8_t* data, std::size_t size, VideoFramePtr& picture) override {
    picture.reset();
    if (data == nullptr || size == 0 || size > OTC_MEDIA_FRAME_MAX_SIZE) {
      return OTC_ERR_INVALID_PARAM;
    }
    if (!h264_sps_sizes_within(data, size, OTC_VIDEO_FRAME_MAX_DIMENSION, OTC_VIDEO_FRAME_MAX_DIMENSION)) {
      gate_.failed();
      return OTC_FRAME_MALFORMED;
    }
    if (!gate_.admit(h264_has_idr(data, size))) {
      return OTC_FRAME_MALFORMED;
    }
    unsigned char* planes[3] = {};
    SBufferInfo info{};
    const DECODING_STATE state = decoder_->DecodeFrameNoDelay(data, static_cast<int>(size), planes, &info);
    if (state != dsErrorFree) {
      gate_.failed();
      return OTC_FRAME_MALFORMED;
    }
    if (info.iBufferStatus != 1) {
      return OTC_SUCCESS;  // no complete picture from this input
    }
    const SSysMEMBuffer& buffer = info.UsrData.sSystemBuffer;
    const std::uint8_t* const_planes[3] = {planes[0], planes[1], planes[2]};
    // OpenH264 outputs I420 with one stride for luma and one shared by both chroma planes.
    const int strides[3] = {buffer.iStride[0], buffer.iStride[1], buffer.iStride[1]};
    otc_video_frame view;
    if (make_view(OTC_VIDEO_FRAME_FORMAT_YUV420P, buffer.iWidth, buffer.iHeight, const_planes, strides, view) !=
        OTC_SUCCESS) {
      gate_.failed();
      return OTC_FRAME_MALFORMED;
    }
    return copy_frame(view, picture);
  }

 private:
  ISVCDecoder* decoder_ = nullptr;
  KeyframeGate gate_;
};

}  // namespace

std::unique_ptr<VideoDecoder> make_openh264_decoder(otc_status& status) {
  auto decoder = std::make_unique<OpenH264Decoder>();
  status = decoder->open();
  return status == OTC_SUCCESS ? std::move(decoder) : nullptr;
}

}  // namespace otc::media
