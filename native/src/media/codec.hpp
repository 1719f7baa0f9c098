// The codec layer the session pipeline uses: VP8/VP9 (libvpx), H.264 (OpenH264) and Opus (libopus),
// behind small interfaces so the pipeline never sees a codec library. Codec numbers are otc_codec
// (include/otc/media.h).
//
// Threading: an encoder or decoder object is not thread-safe; use each from one thread at a time
// (different objects may run concurrently). No method throws; failures are otc_status codes:
//   OTC_ERR_INVALID_PARAM  bad argument (NULL data, size out of range, bad frame)
//   OTC_ERR_NOT_SUPPORTED  codec not built into this library (factories)
//   OTC_FRAME_MALFORMED    a decoder could not decode the bytes (corrupt, truncated, not this codec);
//                          the decoder stays usable and recovers at the next keyframe
//   OTC_ERR_FATAL          the codec library failed otherwise
#ifndef OTC_SRC_MEDIA_CODEC_HPP
#define OTC_SRC_MEDIA_CODEC_HPP

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "video_frame_internal.hpp"
#include "otc/errors.h"
#include "otc/media.h"

namespace otc::media {

// Whether `codec` (otc_codec) has an encoder and a decoder in this build.
bool codec_available(int codec);

// ---- video ----------------------------------------------------------------------------------------

struct VideoEncoderConfig {
  // Encoded size. 0 x 0: follow each input frame's size (a size change reconfigures the encoder and
  // starts with a keyframe). Otherwise frames of another size are scaled to this one.
  int width = 0;
  int height = 0;
  int fps = 30;               // 1..120: the rate control's frame rate
  int bitrate_kbps = 1000;    // 10..50000: target bitrate
};

struct EncodedVideo {
  std::vector<std::uint8_t> bytes;  // the frame in the codec's usual bitstream (VP8/VP9 frame, H.264 Annex B)
  bool keyframe = false;            // decodable on its own (from the encoder's own frame flags)
  int width = 0;                    // encoded size
  int height = 0;
};

class VideoEncoder {
 public:
  virtual ~VideoEncoder() = default;
  virtual int codec() const = 0;
  // Encodes one frame of any format and size (converted to I420 and scaled as the config says).
  // force_keyframe: this frame is encoded as a keyframe. Every input produces one output frame
  // (frame dropping is off); `out` is overwritten.
  virtual otc_status encode(const otc_video_frame& frame, bool force_keyframe, EncodedVideo& out) = 0;
  // New target bitrate / frame rate for the next frames (same ranges as the config).
  virtual otc_status set_rates(int bitrate_kbps, int fps) = 0;
};

class VideoDecoder {
 public:
  virtual ~VideoDecoder() = default;
  virtual int codec() const = 0;
  // Decodes one encoded frame (size 1..OTC_MEDIA_FRAME_MAX_SIZE). On success `picture` is
  // non-null when the frame produced a picture: a YUV420P frame owned by the caller.
  // Before the first keyframe, or after an error until the next keyframe, inter frames are
  // refused with OTC_FRAME_MALFORMED rather than decoded into garbage.
  virtual otc_status decode(const std::uint8_t* data, std::size_t size, VideoFramePtr& picture) = 0;
};

// A new encoder/decoder, or nullptr with `status` set (OTC_ERR_NOT_SUPPORTED for a codec not built
// in or not a video codec, OTC_ERR_INVALID_PARAM for a bad config, OTC_ERR_FATAL if the library
// refused to start). `status` may be nullptr.
std::unique_ptr<VideoEncoder> make_video_encoder(int codec, const VideoEncoderConfig& config,
                                                 otc_status* status);
std::unique_ptr<VideoDecoder> make_video_decoder(int codec, otc_status* status);

// ---- audio (Opus) -----------------------------------------------------------------------------------

constexpr int kAudioSampleRate = 48000;

struct AudioEncoderConfig {
  int channels = 1;            // 1 or 2 (interleaved int16)
  int bitrate_bps = 32000;     // 6000..510000
  // true: libopus's VoIP tuning (speech: the usual choice for a call); false: general audio
  // (music, tones: keeps the waveform closer, e.g. ~43 dB instead of ~27 dB SNR for a 1 kHz tone
  // at 64 kbit/s). Opus is perceptual: at 32 kbit/s either mode measures only ~16 dB on a tone.
  bool voice = true;
};

class AudioEncoder {
 public:
  virtual ~AudioEncoder() = default;
  // One frame of 48 kHz PCM: samples_per_channel 480 (10 ms) or 960 (20 ms), channels interleaved.
  // `out` is overwritten with one Opus packet.
  virtual otc_status encode(const std::int16_t* pcm, int samples_per_channel,
                            std::vector<std::uint8_t>& out) = 0;
  virtual int channels() const = 0;
};

class AudioDecoder {
 public:
  virtual ~AudioDecoder() = default;
  // One Opus packet -> 48 kHz interleaved PCM in `pcm` (resized; samples_per_channel is
  // pcm.size() / channels). data == nullptr, size 0: packet loss concealment for one 20 ms frame.
  virtual otc_status decode(const std::uint8_t* data, std::size_t size, std::vector<std::int16_t>& pcm) = 0;
  virtual int channels() const = 0;
};

// codec must be OTC_CODEC_OPUS; otherwise as the video factories.
std::unique_ptr<AudioEncoder> make_audio_encoder(int codec, const AudioEncoderConfig& config,
                                                 otc_status* status);
std::unique_ptr<AudioDecoder> make_audio_decoder(int codec, int channels, otc_status* status);

}  // namespace otc::media

#endif
