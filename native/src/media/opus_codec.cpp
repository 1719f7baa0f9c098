// Opus through libopus at 48 kHz: VoIP (speech-tuned) or general-audio mode as configured, VBR,
// in-band FEC off (SFrame authenticates whole packets; a lost one is concealed by the decoder).
#include <opus/opus.h>

#include <cstdio>

#include "codec_factories.hpp"

// The `stderr` of the libopus archive we link: src/media/CMakeLists.txt renames that archive's one
// reference to libc's stderr to this name, because the archive is not position-independent. Hidden,
// set from libc's stderr when the library loads; libopus only prints an internal assertion failure
// to it before abort(). Defined here, next to the code that pulls libopus in, so a static link
// order that resolves the Opus calls resolves it too.
extern "C" {
__attribute__((visibility("hidden"))) std::FILE* otc_media_libopus_stderr = stderr;
}

namespace otc::media {
namespace {

// The largest packet libopus can produce for one frame (RFC 6716: 1275 bytes a frame, x3 for 60 ms).
constexpr int kMaxPacket = 4000;
// 120 ms at 48 kHz: the longest an Opus packet can decode to.
constexpr int kMaxSamplesPerChannel = 5760;
// PLC fills one 20 ms frame.
constexpr int kConcealSamples = 960;

class OpusEncoderImpl final : public AudioEncoder {
 public:
  explicit OpusEncoderImpl(int channels) : channels_(channels) {}
  ~OpusEncoderImpl() override {
    if (encoder_ != nullptr) {
      opus_encoder_destroy(encoder_);
    }
  }
  OpusEncoderImpl(const OpusEncoderImpl&) = delete;
  OpusEncoderImpl& operator=(const OpusEncoderImpl&) = delete;

  otc_status open(int bitrate_bps, bool voice) {
    int error = OPUS_OK;
    encoder_ = opus_encoder_create(kAudioSampleRate, channels_, voice ? OPUS_APPLICATION_VOIP : OPUS_APPLICATION_AUDIO,
                                   &error);
    if (error != OPUS_OK || encoder_ == nullptr) {
      encoder_ = nullptr;
      return OTC_ERR_FATAL;
    }
    const bool ok = opus_encoder_ctl(encoder_, OPUS_SET_BITRATE(bitrate_bps)) == OPUS_OK &&
                    opus_encoder_ctl(encoder_, OPUS_SET_COMPLEXITY(8)) == OPUS_OK;
    return ok ? OTC_SUCCESS : OTC_ERR_FATAL;
  }

  otc_status encode(const std::int16_t* pcm, int samples_per_channel, std::vector<std::uint8_t>& out) override {
    out.clear();
    if (pcm == nullptr || (samples_per_channel != 480 && samples_per_channel != 960)) {
      return OTC_ERR_INVALID_PARAM;
    }
    out.resize(kMaxPacket);
    const opus_int32 n = opus_encode(encoder_, pcm, samples_per_channel, out.data(), kMaxPacket);
    if (n < 0) {
      out.clear();
      return OTC_ERR_FATAL;
    }
    out.resize(static_cast<std::size_t>(n));
    return OTC_SUCCESS;
  }

  int channels() const override { return channels_; }

 private:
  const int channels_;
  OpusEncoder* encoder_ = nullptr;
};

class OpusDecoderImpl final : public AudioDecoder {
 public:
  explicit OpusDecoderImpl(int channels) : channels_(channels) {}
  ~OpusDecoderImpl() override {
    if (decoder_ != nullptr) {
      opus_decoder_destroy(decoder_);
    }
  }
  OpusDecoderImpl(const OpusDecoderImpl&) = delete;
  OpusDecoderImpl& operator=(const OpusDecoderImpl&) = delete;

  otc_status open() {
    int error = OPUS_OK;
    decoder_ = opus_decoder_create(kAudioSampleRate, channels_, &error);
    if (error != OPUS_OK || decoder_ == nullptr) {
      decoder_ = nullptr;
      return OTC_ERR_FATAL;
    }
    return OTC_SUCCESS;
  }

  otc_status decode(const std::uint8_t* data, std::size_t size, std::vector<std::int16_t>& pcm) override {
    const bool conceal = data == nullptr && size == 0;
    if (!conceal && (data == nullptr || size == 0 || size > OTC_MEDIA_FRAME_MAX_SIZE)) {
      pcm.clear();
      return OTC_ERR_INVALID_PARAM;
    }
    pcm.resize(static_cast<std::size_t>(kMaxSamplesPerChannel) * static_cast<std::size_t>(channels_));
    const int n = conceal ? opus_decode(decoder_, nullptr, 0, pcm.data(), kConcealSamples, 0)
                          : opus_decode(decoder_, data, static_cast<opus_int32>(size), pcm.data(),
                                        kMaxSamplesPerChannel, 0);
    if (n < 0) {
      pcm.clear();
      return n == OPUS_INVALID_PACKET || n == OPUS_BUFFER_TOO_SMALL ? OTC_FRAME_MALFORMED : OTC_ERR_FATAL;
    }
    pcm.resize(static_cast<std::size_t>(n) * static_cast<std::size_t>(channels_));
    return OTC_SUCCESS;
  }

  int channels() const override { return channels_; }

 private:
  const int channels_;
  OpusDecoder* decoder_ = nullptr;
};

}  // namespace

std::unique_ptr<AudioEncoder> make_opus_encoder(const AudioEncoderConfig& config, otc_status& status) {
  auto encoder = std::make_unique<OpusEncoderImpl>(config.channels);
  status = encoder->open(config.bitrate_bps, config.voice);
  return status == OTC_SUCCESS ? std::move(encoder) : nullptr;
}

std::unique_ptr<AudioDecoder> make_opus_decoder(int channels, otc_status& status) {
  auto decoder = std::make_unique<OpusDecoderImpl>(channels);
  status = decoder->open();
  return status == OTC_SUCCESS ? std::move(decoder) : nullptr;
}

}  // namespace otc::media
