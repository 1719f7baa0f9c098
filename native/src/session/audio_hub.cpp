#include "audio_hub.hpp"

#include <algorithm>
#include <chrono>

#include "c_api_guard.hpp"
#include "publisher_core.hpp"

namespace otc::client {

namespace {
constexpr int kRate = otc::media::kAudioSampleRate;  // 48 kHz: the only rate taken (audio_device.h)
constexpr std::size_t kFrameSamples = kRate / 50;         // 20 ms per channel
// Opus at 64 kbit/s per channel: transparent for speech and music, far below the video's bitrate.
constexpr int kOpusBitratePerChannel = 64000;
constexpr std::size_t kCaptureQueueFrames = OTC_AUDIO_DEVICE_MAX_BUFFERED_MS / 20;

std::uint64_t now_us() {
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                   std::chrono::steady_clock::now().time_since_epoch()).count());
}

bool supported(const otc_audio_device_settings& s) {
  return s.sampling_rate == kRate && (s.number_of_channels == 1 || s.number_of_channels == 2);
}
}  // namespace

// ---- one stream's render buffer --------------------------------------------------------------------

void AudioRenderStream::push(const std::vector<std::int16_t>& pcm, std::size_t max_samples) {
  std::lock_guard<std::mutex> lock(mu_);
  pcm_.insert(pcm_.end(), pcm.begin(), pcm.end());
  if (pcm_.size() > max_samples) pcm_.erase(pcm_.begin(), pcm_.begin() + static_cast<long>(pcm_.size() - max_samples));
}

std::size_t AudioRenderStream::mix_into(std::int32_t* mix, std::size_t n) {
  std::lock_guard<std::mutex> lock(mu_);
  const std::size_t take = std::min(n, pcm_.size());
  for (std::size_t i = 0; i < take; ++i) mix[i] += pcm_[i];
  pcm_.erase(pcm_.begin(), pcm_.begin() + static_cast<long>(take));
  return take;
}

std::size_t AudioRenderStream::buffered() const {
  std::lock_guard<std::mutex> lock(mu_);
  return pcm_.size();
}

// ---- the device ---------------------------------------------------------------------------------------

AudioHub& AudioHub::instance() {
  // Leaked like the worker pools: workers may still hold it while the process exits.
  static AudioHub* hub = new AudioHub();
  return *hub;
}

AudioHub::AudioHub() : capture_worker_(std::make_shared<MediaWorker>(kCaptureQueueFrames)) {}

otc_status AudioHub::set_device(const otc_audio_device_callbacks* callbacks) {
  std::lock_guard<std::mutex> lock(control_mu_);
  if (has_device_) {
    stop_capturer_locked();
    stop_renderer_locked();
    if (callbacks_.destroy) callbacks_.destroy(&handle_, callbacks_.user_data);
    has_device_ = false;
    callbacks_ = {};
  }
  if (!callbacks) return OTC_SUCCESS;
  if (callbacks->init && !callbacks->init(&handle_, callbacks->user_data)) return OTC_ERR_INVALID_PARAM;
  callbacks_ = *callbacks;
  has_device_ = true;
  if (capture_users_ > 0) start_capturer_locked();
  if (render_users_ > 0) start_renderer_locked();
  return OTC_SUCCESS;
}

void AudioHub::start_capturer_locked() {
  if (!has_device_ || capturer_started_) return;
  otc_audio_device_settings s{kRate, 1};
  if (callbacks_.get_capture_settings && !callbacks_.get_capture_settings(&handle_, callbacks_.user_data, &s)) return;
  if (!supported(s)) {
    std::lock_guard<std::mutex> lock(data_mu_);
    capture_unsupported_ = true;
    return;
  }
  if (callbacks_.init_capturer && !callbacks_.init_capturer(&handle_, callbacks_.user_data)) return;
  {
    std::lock_guard<std::mutex> lock(data_mu_);
    capture_on_ = true;
    capture_unsupported_ = false;
    capture_channels_ = s.number_of_channels;
    capture_pending_.clear();
  }
  capturer_started_ = true;
  if (callbacks_.start_capturer) callbacks_.start_capturer(&handle_, callbacks_.user_data);
}

void AudioHub::stop_capturer_locked() {
  {
    std::lock_guard<std::mutex> lock(data_mu_);
    capture_on_ = false;
    capture_unsupported_ = false;
    capture_pending_.clear();
  }
  if (!capturer_started_) return;
  capturer_started_ = false;
  if (callbacks_.stop_capturer) callbacks_.stop_capturer(&handle_, callbacks_.user_data);
  if (callbacks_.destroy_capturer) callbacks_.destroy_capturer(&handle_, callbacks_.user_data);
}

void AudioHub::start_renderer_locked() {
  if (!has_device_ || renderer_started_) return;
  otc_audio_device_settings s{kRate, 1};
  if (callbacks_.get_render_settings && !callbacks_.get_render_settings(&handle_, callbacks_.user_data, &s)) return;
  if (!supported(s)) return;
  if (callbacks_.init_renderer && !callbacks_.init_renderer(&handle_, callbacks_.user_data)) return;
  {
    std::lock_guard<std::mutex> lock(data_mu_);
    render_on_ = true;
    render_channels_ = s.number_of_channels;
  }
  renderer_started_ = true;
  if (callbacks_.start_renderer) callbacks_.start_renderer(&handle_, callbacks_.user_data);
}

void AudioHub::stop_renderer_locked() {
  {
    std::lock_guard<std::mutex> lock(data_mu_);
    render_on_ = false;
  }
  if (!renderer_started_) return;
  renderer_started_ = false;
  if (callbacks_.stop_renderer) callbacks_.stop_renderer(&handle_, callbacks_.user_data);
  if (callbacks_.destroy_renderer) callbacks_.destroy_renderer(&handle_, callbacks_.user_data);
}

void AudioHub::add_capture_user(const std::shared_ptr<PublisherCore>& publisher) {
  std::lock_guard<std::mutex> lock(control_mu_);
  {
    std::lock_guard<std::mutex> dlock(data_mu_);
    publishers_.push_back(publisher);
  }
  if (++capture_users_ == 1) start_capturer_locked();
}

void AudioHub::remove_capture_user(const PublisherCore* publisher) {
  std::lock_guard<std::mutex> lock(control_mu_);
  bool found = false;
  {
    std::lock_guard<std::mutex> dlock(data_mu_);
    for (auto it = publishers_.begin(); it != publishers_.end(); ++it) {
      if (it->lock().get() == publisher) {
        publishers_.erase(it);
        found = true;
        break;
      }
    }
  }
  if (found && --capture_users_ == 0) stop_capturer_locked();
}

otc_status AudioHub::write_capture(const std::int16_t* pcm, std::size_t samples_per_channel) {
  if ((!pcm && samples_per_channel) || samples_per_channel > static_cast<std::size_t>(kRate)) return OTC_ERR_INVALID_PARAM;
  std::vector<std::vector<std::int16_t>> chunks;
  int channels;
  {
    std::lock_guard<std::mutex> lock(data_mu_);
    if (capture_unsupported_) return OTC_ERR_NOT_SUPPORTED;
    if (!capture_on_) return OTC_ERR_INVALID_STATE;
    channels = capture_channels_;
    const std::size_t frame = kFrameSamples * static_cast<std::size_t>(channels);
    capture_pending_.insert(capture_pending_.end(), pcm, pcm + samples_per_channel * static_cast<std::size_t>(channels));
    std::size_t at = 0;
    while (capture_pending_.size() - at >= frame) {
      chunks.emplace_back(capture_pending_.begin() + static_cast<long>(at),
                          capture_pending_.begin() + static_cast<long>(at + frame));
      at += frame;
    }
    capture_pending_.erase(capture_pending_.begin(), capture_pending_.begin() + static_cast<long>(at));
  }
  const std::uint64_t ts = now_us();
  for (auto& chunk : chunks) {
    auto shared = std::make_shared<std::vector<std::int16_t>>(std::move(chunk));
    capture_worker_->post([this, shared, channels, ts] { encode_and_send(std::move(*shared), channels, ts); });
  }
  return OTC_SUCCESS;
}

void AudioHub::encode_and_send(std::vector<std::int16_t> chunk, int channels, std::uint64_t timestamp_us) {
  if (!encoder_ || encoder_channels_ != channels) {
    otc::media::AudioEncoderConfig config;
    config.channels = channels;
    config.bitrate_bps = kOpusBitratePerChannel * channels;
    encoder_ = otc::media::make_audio_encoder(OTC_CODEC_OPUS, config, nullptr);
    encoder_channels_ = channels;
    if (!encoder_) return;
  }
  std::vector<std::uint8_t> packet;
  if (encoder_->encode(chunk.data(), static_cast<int>(kFrameSamples), packet) != OTC_SUCCESS || packet.empty()) return;
  std::vector<std::shared_ptr<PublisherCore>> targets;
  {
    std::lock_guard<std::mutex> lock(data_mu_);
    for (auto& w : publishers_) {
      if (auto p = w.lock()) targets.push_back(std::move(p));
    }
  }
  otc_media_frame f{};
  f.media_type = OTC_MEDIA_TYPE_AUDIO;
  f.codec = OTC_CODEC_OPUS;
  f.timestamp_us = timestamp_us;
  f.data = packet.data();
  f.size = packet.size();
  for (auto& p : targets) {
    if (!p->audio_enabled()) continue;
    p->update_stats([](otc_publisher_stats& s) { ++s.audio_frames_encoded; });
    p->send_frame(&f);
  }
}

std::shared_ptr<AudioRenderStream> AudioHub::add_render_stream() {
  auto stream = std::make_shared<AudioRenderStream>();
  std::lock_guard<std::mutex> lock(control_mu_);
  {
    std::lock_guard<std::mutex> dlock(data_mu_);
    streams_.push_back(stream);
  }
  if (++render_users_ == 1) start_renderer_locked();
  return stream;
}

void AudioHub::remove_render_stream(const std::shared_ptr<AudioRenderStream>& stream) {
  std::lock_guard<std::mutex> lock(control_mu_);
  {
    std::lock_guard<std::mutex> dlock(data_mu_);
    auto it = std::find(streams_.begin(), streams_.end(), stream);
    if (it == streams_.end()) return;
    streams_.erase(it);
  }
  if (--render_users_ == 0) stop_renderer_locked();
}

std::size_t AudioHub::read_render(std::int16_t* out, std::size_t samples_per_channel) {
  if (!out || samples_per_channel == 0 || samples_per_channel > static_cast<std::size_t>(kRate)) return 0;
  std::vector<std::shared_ptr<AudioRenderStream>> streams;
  int channels;
  {
    std::lock_guard<std::mutex> lock(data_mu_);
    if (!render_on_) return 0;
    streams = streams_;
    channels = render_channels_;
  }
  const std::size_t n = samples_per_channel * static_cast<std::size_t>(channels);
  std::vector<std::int32_t> mix(n, 0);
  std::size_t most = 0;
  for (auto& s : streams) most = std::max(most, s->mix_into(mix.data(), n));
  for (std::size_t i = 0; i < most; ++i) out[i] = static_cast<std::int16_t>(std::clamp<std::int32_t>(mix[i], -32768, 32767));
  return most / static_cast<std::size_t>(channels);
}

int AudioHub::render_channels() const {
  std::lock_guard<std::mutex> lock(data_mu_);
  return render_channels_;
}

std::size_t AudioHub::max_buffered_samples() const {
  return static_cast<std::size_t>(kRate / 1000 * OTC_AUDIO_DEVICE_MAX_BUFFERED_MS) * static_cast<std::size_t>(render_channels());
}

// ---- a subscriber's decoder ---------------------------------------------------------------------------

AudioReceiver::AudioReceiver(std::function<void()> count_decoded)
    : count_decoded_(std::move(count_decoded)), worker_(std::make_shared<MediaWorker>(kMaxQueuedFrames)),
      stream_(AudioHub::instance().add_render_stream()) {}

AudioReceiver::~AudioReceiver() { close(); }

void AudioReceiver::push(const std::uint8_t* data, std::size_t size) {
  auto shared = std::make_shared<std::vector<std::uint8_t>>(data, data + size);
  worker_->post([self = shared_from_this(), shared] { self->decode(*shared); });
}

void AudioReceiver::decode(const std::vector<std::uint8_t>& bytes) {
  auto& hub = AudioHub::instance();
  const int channels = hub.render_channels();
  if (!decoder_ || decoder_->channels() != channels) {
    decoder_ = otc::media::make_audio_decoder(OTC_CODEC_OPUS, channels, nullptr);
    if (!decoder_) return;
  }
  if (decoder_->decode(bytes.data(), bytes.size(), pcm_) != OTC_SUCCESS) return;
  count_decoded_();
  std::shared_ptr<AudioRenderStream> stream = std::atomic_load(&stream_);
  if (stream) stream->push(pcm_, hub.max_buffered_samples());
}

void AudioReceiver::close() {
  worker_->close();
  std::shared_ptr<AudioRenderStream> stream = std::atomic_exchange(&stream_, std::shared_ptr<AudioRenderStream>());
  if (stream) AudioHub::instance().remove_render_stream(stream);
}

}  // namespace otc::client

extern "C" {

std::size_t otc_audio_device_read_render_data(std::int16_t* buffer, std::size_t number_of_samples) {
  return otc::guarded_or<std::size_t>(0, [&] { return otc::client::AudioHub::instance().read_render(buffer, number_of_samples); });
}

otc_status otc_audio_device_write_capture_data(const std::int16_t* buffer, std::size_t number_of_samples) {
  return otc::guarded([&] { return otc::client::AudioHub::instance().write_capture(buffer, number_of_samples); });
}

otc_status otc_set_audio_device(const struct otc_audio_device_callbacks* callbacks) {
  return otc::guarded([&] { return otc::client::AudioHub::instance().set_device(callbacks); });
}

}  // extern "C"
