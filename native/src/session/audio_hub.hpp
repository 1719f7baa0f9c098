// The process's audio device (otc/audio_device.h): the application's callbacks, capture (PCM cut
// into 20 ms frames, Opus-encoded on a MediaWorker, sent on every live publisher with audio) and
// render (one bounded PCM buffer per subscribed audio stream, decoded on that subscriber's
// MediaWorker, mixed when the application pulls).
//
// Two locks: control_mu_ orders the application's device callbacks and the user counts (held
// while calling them, so a stop_capturer that joins the application's capture thread must not
// wait on it: the data calls never take control_mu_); data_mu_ guards what the data calls touch.
#ifndef OTC_SRC_SESSION_AUDIO_HUB_HPP
#define OTC_SRC_SESSION_AUDIO_HUB_HPP

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <vector>

#include "codec.hpp"
#include "media_worker.hpp"
#include "otc/audio_device.h"

struct otc_audio_device {
  int unused;
};

namespace otc::client {

class PublisherCore;

// One subscribed stream's decoded audio, waiting to be mixed.
class AudioRenderStream {
 public:
  // Worker: appends, dropping the oldest beyond the bound.
  void push(const std::vector<std::int16_t>& pcm, std::size_t max_samples);
  // Render thread: adds up to `n` samples into `mix` (int32 accumulators); returns how many.
  std::size_t mix_into(std::int32_t* mix, std::size_t n);
  std::size_t buffered() const;

 private:
  mutable std::mutex mu_;
  std::deque<std::int16_t> pcm_;
};

class AudioHub {
 public:
  static AudioHub& instance();

  otc_status set_device(const otc_audio_device_callbacks* callbacks);

  // Publishers: from stream live until it ends (callback thread / the thread ending it).
  void add_capture_user(const std::shared_ptr<PublisherCore>& publisher);
  void remove_capture_user(const PublisherCore* publisher);
  otc_status write_capture(const std::int16_t* pcm, std::size_t samples_per_channel);

  // Subscribers: while subscribed (callback thread).
  std::shared_ptr<AudioRenderStream> add_render_stream();
  void remove_render_stream(const std::shared_ptr<AudioRenderStream>& stream);
  std::size_t read_render(std::int16_t* out, std::size_t samples_per_channel);
  int render_channels() const;
  std::size_t max_buffered_samples() const;

 private:
  AudioHub();
  // control_mu_ held.
  void start_capturer_locked();
  void stop_capturer_locked();
  void start_renderer_locked();
  void stop_renderer_locked();
  void encode_and_send(std::vector<std::int16_t> chunk, int channels, std::uint64_t timestamp_us);

  otc_audio_device handle_{0};

  std::mutex control_mu_;
  bool has_device_ = false;
  otc_audio_device_callbacks callbacks_{};
  std::size_t capture_users_ = 0;
  std::size_t render_users_ = 0;
  bool capturer_started_ = false;
  bool renderer_started_ = false;

  mutable std::mutex data_mu_;
  bool capture_on_ = false;      // capturer started with a supported format
  int capture_channels_ = 1;
  bool capture_unsupported_ = false;
  std::vector<std::int16_t> capture_pending_;  // less than one 20 ms frame
  std::vector<std::weak_ptr<PublisherCore>> publishers_;
  std::shared_ptr<MediaWorker> capture_worker_;
  bool render_on_ = false;
  int render_channels_ = 1;
  std::vector<std::shared_ptr<AudioRenderStream>> streams_;

  // Capture worker only.
  std::unique_ptr<otc::media::AudioEncoder> encoder_;
  int encoder_channels_ = 0;
};

// A subscriber's audio decoding: frames in order from the callback thread, decoded on its own
// worker into its AudioRenderStream.
class AudioReceiver : public std::enable_shared_from_this<AudioReceiver> {
 public:
  static constexpr std::size_t kMaxQueuedFrames = 25;  // 500 ms of 20 ms frames
  explicit AudioReceiver(std::function<void()> count_decoded);
  ~AudioReceiver();
  void push(const std::uint8_t* data, std::size_t size);
  void close();

 private:
  void decode(const std::vector<std::uint8_t>& bytes);

  std::function<void()> count_decoded_;
  std::shared_ptr<MediaWorker> worker_;
  std::shared_ptr<AudioRenderStream> stream_;
  // Worker only.
  std::unique_ptr<otc::media::AudioDecoder> decoder_;
  std::vector<std::int16_t> pcm_;
};

}  // namespace otc::client

#endif
