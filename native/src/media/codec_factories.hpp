// Constructors of the concrete codecs, one per implementation file; codec_registry.cpp picks one.
#ifndef OTC_SRC_MEDIA_CODEC_FACTORIES_HPP
#define OTC_SRC_MEDIA_CODEC_FACTORIES_HPP

#include "codec.hpp"

namespace otc::media {

// codec: OTC_CODEC_VP8 or OTC_CODEC_VP9. The config is validated by the caller.
std::unique_ptr<VideoEncoder> make_vpx_encoder(int codec, const VideoEncoderConfig& config, otc_status& status);
std::unique_ptr<VideoDecoder> make_vpx_decoder(int codec, otc_status& status);
std::unique_ptr<VideoEncoder> make_openh264_encoder(const VideoEncoderConfig& config, otc_status& status);
std::unique_ptr<VideoDecoder> make_openh264_decoder(otc_status& status);
std::unique_ptr<AudioEncoder> make_opus_encoder(const AudioEncoderConfig& config, otc_status& status);
std::unique_ptr<AudioDecoder> make_opus_decoder(int channels, otc_status& status);

}  // namespace otc::media

#endif
