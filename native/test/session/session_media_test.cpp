// The raw-media pipeline end to end through the C API (issue 11): a publisher session with a video
// capturer (a moving test pattern provided from an application thread) and the audio device, a
// subscriber session rendering with on_render_frame and pulling PCM from the audio device. Between
// them, two scripted routers relay every MEDIA_FRAME byte for byte from the publisher's
// connection to the subscriber's, and KEYFRAME_REQUESTs back, as the real router does: it only
// ever sees ciphertext (checked below).
//
// Capture -> I420 -> encode (media worker) -> SFrame encrypt -> relay -> decrypt -> decode (media
// worker) -> on_render_frame, for VP8, VP9 and H.264; Opus through the audio device.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include "fake_router.hpp"
#include "session/protocol.hpp"
#include "session_events.hpp"
#include "signal_quality.hpp"
#include "test_pattern.hpp"

namespace {

using namespace otc_test;
namespace wire = otc::client::wire;

constexpr char kSessionId[] = "media-session";
constexpr char kSecret[] = "the media test's shared secret";
constexpr char kOtherSecret[] = "a secret the publisher does not hold";
constexpr char kStreamId[] = "pub-1";
constexpr int kWidth = 640;
constexpr int kHeight = 360;
constexpr int kFps = 30;
constexpr auto kLong = std::chrono::seconds(30);  // generous: 2 loaded cores, sanitizers

// ---- what the subscriber rendered -------------------------------------------------------------------

struct MediaEvents : SessionEvents {
  std::vector<int> counters;  // frame counters read back from rendered pictures, in order
  std::vector<double> psnr;
  std::vector<int> codec_errors;
  int matches = 0;
  // A renderer that is behind, without timing: each on_render_frame call takes a permit, waiting
  // (under mu) until one is given. Unlimited unless a test sets them.
  int render_permits = std::numeric_limits<int>::max();
  int renders_entered = 0;  // on_render_frame calls begun
  int on_frame_ms = 0;      // set before subscribing
  void set_render_permits(int permits) {
    {
      std::lock_guard<std::mutex> lock(mu);
      render_permits = permits;
    }
    cv.notify_all();
  }
};

MediaEvents* media(void* u) { return static_cast<MediaEvents*>(static_cast<SessionEvents*>(u)); }

double psnr_against_pattern(const otc_video_frame* f, int counter) {
  const I420Image ref = make_test_pattern(kWidth, kHeight, counter);
  const std::uint8_t* r[3] = {ref.y.data(), ref.u.data(), ref.v.data()};
  const int rs[3] = {ref.y_stride(), ref.uv_stride(), ref.uv_stride()};
  const std::uint8_t* d[3] = {otc_video_frame_get_plane_binary_data(f, OTC_VIDEO_FRAME_PLANE_Y),
                              otc_video_frame_get_plane_binary_data(f, OTC_VIDEO_FRAME_PLANE_U),
                              otc_video_frame_get_plane_binary_data(f, OTC_VIDEO_FRAME_PLANE_V)};
  const int ds[3] = {otc_video_frame_get_plane_stride(f, OTC_VIDEO_FRAME_PLANE_Y),
                     otc_video_frame_get_plane_stride(f, OTC_VIDEO_FRAME_PLANE_U),
                     otc_video_frame_get_plane_stride(f, OTC_VIDEO_FRAME_PLANE_V)};
  return psnr_i420(kWidth, kHeight, r, rs, d, ds);
}

otc_subscriber_callbacks render_callbacks(MediaEvents& e) {
  otc_subscriber_callbacks cb = e.subscriber_callbacks();
  cb.on_frame = nullptr;  // decoded media only
  cb.on_render_frame = [](otc_subscriber*, void* u, const otc_video_frame* f) {
    MediaEvents* m = media(u);
    {
      std::unique_lock<std::mutex> lock(m->mu);
      ++m->renders_entered;
      m->cv.notify_all();
      m->cv.wait(lock, [m] { return m->render_permits > 0; });
      if (m->render_permits != std::numeric_limits<int>::max()) --m->render_permits;
    }
    const int w = otc_video_frame_get_width(f);
    const int h = otc_video_frame_get_height(f);
    const int counter = read_frame_counter(otc_video_frame_get_plane_binary_data(f, OTC_VIDEO_FRAME_PLANE_Y),
                                           otc_video_frame_get_plane_stride(f, OTC_VIDEO_FRAME_PLANE_Y), w, h);
    const double p = (w == kWidth && h == kHeight && counter >= 0) ? psnr_against_pattern(f, counter) : 0.0;
    {
      std::lock_guard<std::mutex> lock(m->mu);
      m->counters.push_back(counter);
      m->psnr.push_back(p);
    }
    m->cv.notify_all();
  };
  cb.on_error = [](otc_subscriber*, void* u, const char*, otc_subscriber_error_code code) {
    MediaEvents* m = media(u);
    std::lock_guard<std::mutex> lock(m->mu);
    m->subscriber_errors.push_back(code);
    if (code == OTC_SUBSCRIBER_UNSUPPORTED_CODEC) m->codec_errors.push_back(code);
  };
  cb.on_encryption_secret_match = [](otc_subscriber*, void* u) {
    MediaEvents* m = media(u);
    std::lock_guard<std::mutex> lock(m->mu);
    ++m->matches;
  };
  return cb;
}

// ---- the application's video capturer -----------------------------------------------------------

struct TestCapturer {
  std::atomic<const otc_video_capturer*> handle{nullptr};
  std::atomic<int> inits{0}, starts{0}, stops{0}, destroys{0};
  // A free-running application thread (close-order tests): provides frames until stop.
  std::atomic<bool> free_running{false};
  std::atomic<bool> running{false};
  std::atomic<std::uint64_t> provided{0};
  std::thread thread;

  otc_video_capturer_callbacks callbacks() {
    otc_video_capturer_callbacks cb{};
    cb.user_data = this;
    cb.init = [](const otc_video_capturer* c, void* u) {
      auto* self = static_cast<TestCapturer*>(u);
      self->handle = c;
      ++self->inits;
      return OTC_TRUE;
    };
    cb.get_capture_settings = [](const otc_video_capturer*, void*, otc_video_capturer_settings* s) {
      s->format = OTC_VIDEO_FRAME_FORMAT_YUV420P;
      s->width = kWidth;
      s->height = kHeight;
      s->fps = kFps;
      return OTC_TRUE;
    };
    cb.start = [](const otc_video_capturer*, void* u) {
      auto* self = static_cast<TestCapturer*>(u);
      ++self->starts;
      if (self->free_running.load() && !self->running.exchange(true)) {
        self->thread = std::thread([self] {
          for (int i = 0; self->running.load(); ++i) {
            self->provide(i % 60);
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
          }
        });
      }
      return OTC_TRUE;
    };
    cb.stop = [](const otc_video_capturer*, void* u) {
      auto* self = static_cast<TestCapturer*>(u);
      ++self->stops;
      // The application ends its capture thread when asked to stop (as the OpenTok samples do).
      if (self->running.exchange(false) && self->thread.joinable()) self->thread.join();
      return OTC_TRUE;
    };
    cb.destroy = [](const otc_video_capturer*, void* u) {
      ++static_cast<TestCapturer*>(u)->destroys;
      return OTC_TRUE;
    };
    return cb;
  }

  // The pixel format the application captures in (converted by the SDK).
  otc_video_frame_format format = OTC_VIDEO_FRAME_FORMAT_YUV420P;

  otc_status provide(int index) {
    const I420Image img = make_test_pattern(kWidth, kHeight, index);
    otc_video_frame* f = otc_video_frame_new_I420(kWidth, kHeight, img.y.data(), img.y_stride(), img.u.data(),
                                                  img.uv_stride(), img.v.data(), img.uv_stride());
    if (format != OTC_VIDEO_FRAME_FORMAT_YUV420P) {
      otc_video_frame* packed = otc_video_frame_convert(format, f);
      otc_video_frame_delete(f);
      f = packed;
    }
    const otc_status st = otc_video_capturer_provide_frame(handle.load(), 0, f);
    otc_video_frame_delete(f);
    ++provided;
    return st;
  }
};

// ---- the application's audio device ---------------------------------------------------------------

struct TestAudioDevice {
  std::atomic<int> capture_starts{0}, capture_stops{0}, render_starts{0}, render_stops{0};
  otc_audio_device_callbacks callbacks() {
    otc_audio_device_callbacks cb{};
    cb.user_data = this;
    cb.get_capture_settings = [](const otc_audio_device*, void*, otc_audio_device_settings* s) {
      s->sampling_rate = 48000;
      s->number_of_channels = 1;
      return OTC_TRUE;
    };
    cb.get_render_settings = cb.get_capture_settings;
    cb.start_capturer = [](const otc_audio_device*, void* u) {
      ++static_cast<TestAudioDevice*>(u)->capture_starts;
      return OTC_TRUE;
    };
    cb.stop_capturer = [](const otc_audio_device*, void* u) {
      ++static_cast<TestAudioDevice*>(u)->capture_stops;
      return OTC_TRUE;
    };
    cb.start_renderer = [](const otc_audio_device*, void* u) {
      ++static_cast<TestAudioDevice*>(u)->render_starts;
      return OTC_TRUE;
    };
    cb.stop_renderer = [](const otc_audio_device*, void* u) {
      ++static_cast<TestAudioDevice*>(u)->render_stops;
      return OTC_TRUE;
    };
    return cb;
  }
};

// ---- two connections and the relay between them ---------------------------------------------------

std::vector<std::uint8_t> framed(const std::vector<std::uint8_t>& msg) {
  std::vector<std::uint8_t> buf(4 + msg.size());
  std::copy(msg.begin(), msg.end(), buf.begin() + 4);
  wire::finish_message(buf);
  return buf;
}

struct SessionDeleter {
  void operator()(otc_session* s) const { otc_session_delete(s); }
};

class MediaCall {
 public:
  struct Options {
    int codec = OTC_CODEC_VP8;
    bool audio = false;
    const char* subscriber_secret = kSecret;
    std::vector<int> subscriber_codecs;  // empty: the default (all)
    bool free_running_capturer = false;
    otc_video_frame_format capture_format = OTC_VIDEO_FRAME_FORMAT_YUV420P;
    // The relay holds each video frame back until the next audio frame has gone ahead of it, as
    // the router's audio lane lets audio overtake queued video (PROTOCOL.md sec. 6).
    bool audio_overtakes_video = false;
    // The application also takes the decrypted frames (on_frame), spending this long on each.
    int on_frame_ms = 0;
  };

  explicit MediaCall(Options o) : opt_(std::move(o)) {}

  ~MediaCall() {
    stop_relay();
    if (sub_) otc_subscriber_delete(sub_);
    if (pub_) otc_publisher_delete(pub_);
    pub_session_.reset();
    sub_session_.reset();
  }

  void start() {
    capturer.free_running = opt_.free_running_capturer;
    capturer.format = opt_.capture_format;
    pub_session_.reset(connect(pub_router_, pub_events, kSecret));
    sub_session_.reset(connect(sub_router_, sub_events, opt_.subscriber_secret));
    ASSERT_TRUE(pub_session_ && sub_session_);

    // Publish with the capturer (init and settings run inside otc_publisher_new).
    otc_publisher_settings* ps = otc_publisher_settings_new();
    ASSERT_EQ(otc_publisher_settings_set_video_codec(ps, opt_.codec), OTC_SUCCESS);
    ASSERT_EQ(otc_publisher_settings_set_audio_track(ps, opt_.audio ? OTC_TRUE : OTC_FALSE), OTC_SUCCESS);
    const otc_publisher_callbacks pcb = pub_events.publisher_callbacks();
    const otc_video_capturer_callbacks ccb = capturer.callbacks();
    pub_ = otc_publisher_new_with_settings("cam", &ccb, &pcb, ps);
    otc_publisher_settings_delete(ps);
    ASSERT_NE(pub_, nullptr);
    EXPECT_EQ(capturer.inits.load(), 1);
    EXPECT_EQ(capturer.starts.load(), 0);
    ASSERT_EQ(otc_session_publish(pub_session_.get(), pub_), OTC_SUCCESS);
    auto publish = pub_router_.read_until(static_cast<std::uint8_t>(wire::MsgType::kPublish));
    ASSERT_TRUE(publish);
    wire::ClientMessage pm;
    ASSERT_EQ(wire::decode_client_message(publish->data(), publish->size(), pm), wire::DecodeStatus::kOk);
    ASSERT_TRUE(pub_router_.send(wire::encode(wire::Published{std::get<wire::Publish>(pm).publish_id, kStreamId})));
    wire::StreamCreated own = stream_created();
    own.connection_id = "router-side-1";
    ASSERT_TRUE(pub_router_.send(wire::encode(own)));
    ASSERT_TRUE(pub_events.wait([&] { return pub_events.stream_created == 1; }, kLong));
    EXPECT_EQ(capturer.starts.load(), 1);

    // The subscriber learns of the stream from its router and subscribes.
    ASSERT_TRUE(sub_router_.send(wire::encode(stream_created())));
    ASSERT_TRUE(sub_events.wait([&] { return sub_events.streams_received.size() == 1; }, kLong));
    otc_subscriber_callbacks scb = render_callbacks(sub_events);
    if (opt_.on_frame_ms > 0) {
      sub_events.on_frame_ms = opt_.on_frame_ms;
      scb.on_frame = [](otc_subscriber*, void* u, const otc_media_frame*) {
        std::this_thread::sleep_for(std::chrono::milliseconds(media(u)->on_frame_ms));
      };
    }
    sub_ = otc_subscriber_new(sub_events.stream_copies[0], &scb);
    ASSERT_NE(sub_, nullptr);
    if (!opt_.subscriber_codecs.empty()) {
      ASSERT_EQ(otc_subscriber_set_video_codecs(sub_, opt_.subscriber_codecs.data(), opt_.subscriber_codecs.size()),
                OTC_SUCCESS);
    }
    ASSERT_EQ(otc_session_subscribe(sub_session_.get(), sub_), OTC_SUCCESS);
    ASSERT_TRUE(sub_router_.read_until(static_cast<std::uint8_t>(wire::MsgType::kSubscribe)));
    ASSERT_TRUE(sub_router_.send(wire::encode(wire::Subscribed{kStreamId})));
    ASSERT_TRUE(sub_events.wait([&] { return sub_events.subscribed == 1; }, kLong));
    start_relay();
  }

  // Provides frame `index` from an application thread and waits until the publisher encoded it
  // (pacing, so no frame is dropped for a lagging encoder: the no-loss case).
  void provide_and_wait(int index) {
    const std::uint64_t before = pub_stats().video_frames_encoded;
    std::thread app([&] { EXPECT_EQ(capturer.provide(index), OTC_SUCCESS); });
    app.join();
    ASSERT_TRUE(pub_events.wait([&] { return pub_stats().video_frames_encoded == before + 1; }, kLong)) << index;
  }

  // Pictures rendered so far.
  std::size_t rendered() {
    std::lock_guard<std::mutex> lock(sub_events.mu);
    return sub_events.counters.size();
  }

  // Waits until `count` pictures were rendered; fails naming where the frames went instead.
  void await_rendered(std::size_t count) {
    ASSERT_TRUE(sub_events.wait([&] { return sub_events.counters.size() >= count; }, kLong))
        << "rendered " << rendered() << " of " << count << "; skipped " << sub_stats().video_frames_skipped
        << ", dropped for the renderer " << sub_stats().video_frames_dropped_render << ", keyframe requests "
        << sub_stats().keyframe_requests_sent;
  }

  // Provides frame `index` once the previous one was rendered, and waits for its own render: the
  // pace of a camera slower than the pipeline, so that no frame may be dropped for a decoder or
  // renderer that is behind, and every loss is a fault.
  void provide_and_render(int index) {
    const std::size_t want = rendered() + 1;
    ASSERT_NO_FATAL_FAILURE(provide_and_wait(index));
    ASSERT_NO_FATAL_FAILURE(await_rendered(want)) << "frame " << index;
  }

  otc_publisher_stats pub_stats() const {
    otc_publisher_stats s = OTC_PUBLISHER_STATS_INIT;
    otc_publisher_get_stats(pub_, &s);
    return s;
  }
  otc_subscriber_stats sub_stats() const {
    otc_subscriber_stats s = OTC_SUBSCRIBER_STATS_INIT;
    otc_subscriber_get_stats(sub_, &s);
    return s;
  }

  void stop_relay() {
    relay_on_ = false;
    if (up_.joinable()) up_.join();
    if (down_.joinable()) down_.join();
  }

  otc_session* pub_session() { return pub_session_.get(); }
  otc_session* sub_session() { return sub_session_.get(); }
  otc_publisher*& publisher() { return pub_; }
  otc_subscriber*& subscriber() { return sub_; }
  void release_pub_session() { pub_session_.reset(); }
  void release_sub_session() { sub_session_.reset(); }

  // What the relay saw.
  std::mutex relay_mu;
  std::vector<bool> video_keyframe_flags;  // per relayed video frame
  std::uint64_t relayed_audio = 0;
  std::uint64_t audio_overtakes = 0;  // audio frames relayed ahead of an earlier video frame
  bool all_encrypted = true;
  std::vector<std::uint8_t> first_video_payload;

  MediaEvents pub_events, sub_events;
  TestCapturer capturer;

 private:
  otc_session* connect(FakeRouter& router, SessionEvents& events, const char* secret) {
    otc_session_settings* settings = otc_session_settings_new();
    EXPECT_EQ(otc_session_settings_set_router_url(settings, router.url().c_str()), OTC_SUCCESS);
    const otc_session_callbacks cb = events.session_callbacks();
    otc_session* s = otc_session_new_with_settings(nullptr, kSessionId, &cb, settings);
    otc_session_settings_delete(settings);
    if (!s) return nullptr;
    EXPECT_EQ(otc_session_set_encryption_secret(s, secret), OTC_SUCCESS);
    EXPECT_EQ(otc_session_connect(s, "token"), OTC_SUCCESS);
    EXPECT_TRUE(router.handshake(kSessionId, true));
    EXPECT_TRUE(events.wait([&] { return events.connected == 1; }, kLong));
    return s;
  }

  wire::StreamCreated stream_created() const {
    wire::StreamCreated m;
    m.stream_id = kStreamId;
    m.connection_id = "publisher-connection";
    m.name = "cam";
    m.has_video = 1;
    m.video_codec = static_cast<std::uint8_t>(opt_.codec);
    m.has_audio = opt_.audio ? 1 : 0;
    m.audio_codec = opt_.audio ? OTC_CODEC_OPUS : 0;
    m.e2ee = 1;
    return m;
  }

  void start_relay() {
    relay_on_ = true;
    up_ = std::thread([this] {
      std::optional<std::vector<std::uint8_t>> held;  // a video frame waiting for audio to overtake it
      std::chrono::steady_clock::time_point held_at;
      while (relay_on_) {
        auto msg = pub_router_.read(std::chrono::milliseconds(50));
        if (!msg && held && std::chrono::steady_clock::now() - held_at > std::chrono::seconds(5)) {
          sub_router_.send(framed(*held));  // no audio came: the video goes on alone
          held.reset();
        }
        if (!msg || msg->empty() || (*msg)[0] != static_cast<std::uint8_t>(wire::MsgType::kMediaFrame)) continue;
        wire::ClientMessage cm;
        if (wire::decode_client_message(msg->data(), msg->size(), cm) == wire::DecodeStatus::kOk) {
          const auto& h = std::get<wire::MediaFrame>(cm);
          if (opt_.audio_overtakes_video) {
            if (h.media == OTC_MEDIA_TYPE_VIDEO) {
              if (held) sub_router_.send(framed(*held));
              held = *msg;
              held_at = std::chrono::steady_clock::now();
            } else if (held) {
              sub_router_.send(framed(*msg));
              sub_router_.send(framed(*held));
              held.reset();
              std::lock_guard<std::mutex> lock(relay_mu);
              ++relayed_audio;
              ++audio_overtakes;
              continue;
            }
          }
          std::lock_guard<std::mutex> lock(relay_mu);
          all_encrypted = all_encrypted && (h.flags & wire::kFlagEncrypted);
          if (h.media == OTC_MEDIA_TYPE_VIDEO) {
            video_keyframe_flags.push_back((h.flags & wire::kFlagKeyframe) != 0);
            if (first_video_payload.empty()) {
              first_video_payload.assign(msg->begin() + static_cast<long>(h.payload_offset), msg->end());
            }
          } else {
            ++relayed_audio;
          }
          if (opt_.audio_overtakes_video && h.media == OTC_MEDIA_TYPE_VIDEO) continue;  // held
        }
        sub_router_.send(framed(*msg));  // byte for byte
      }
    });
    down_ = std::thread([this] {
      while (relay_on_) {
        auto msg = sub_router_.read(std::chrono::milliseconds(50));
        if (!msg || msg->empty() || (*msg)[0] != static_cast<std::uint8_t>(wire::MsgType::kKeyframeRequest)) continue;
        pub_router_.send(wire::encode(wire::KeyframeRequest{kStreamId}));
      }
    });
  }

  Options opt_;
  FakeRouter pub_router_, sub_router_;
  std::unique_ptr<otc_session, SessionDeleter> pub_session_, sub_session_;
  otc_publisher* pub_ = nullptr;
  otc_subscriber* sub_ = nullptr;
  std::atomic<bool> relay_on_{false};
  std::thread up_, down_;
};

MediaCall::Options with_codec(int codec) {
  MediaCall::Options o;
  o.codec = codec;
  return o;
}

// ---- capture -> encode -> encrypt -> relay -> decrypt -> decode -> render, per codec ----------------

class MediaPipeline : public ::testing::TestWithParam<int> {};

TEST_P(MediaPipeline, MovingPatternRendersAbove30DbInOrderThroughTheRelay) {
  constexpr int kFrames = 30;
  MediaCall call(with_codec(GetParam()));
  ASSERT_NO_FATAL_FAILURE(call.start());
  MediaEvents& e = call.sub_events;
  for (int i = 0; i < kFrames; ++i) ASSERT_NO_FATAL_FAILURE(call.provide_and_render(i));
  // (The sender's stats are counted just after the frame went out: the last may trail the render.)
  ASSERT_TRUE(e.wait([&] { return call.pub_stats().frames_encrypted == kFrames; }, kLong));

  std::lock_guard<std::mutex> lock(e.mu);
  std::vector<int> expected(kFrames);
  for (int i = 0; i < kFrames; ++i) expected[i] = i;
  EXPECT_EQ(e.counters, expected);  // count and order preserved
  const double min_psnr = *std::min_element(e.psnr.begin(), e.psnr.end());
  double mean = 0;
  for (double p : e.psnr) mean += p;
  mean /= kFrames;
  EXPECT_GE(min_psnr, 30.0);
  const auto ps = call.pub_stats();
  const auto ss = call.sub_stats();
  std::printf("%s %dx%d through the relay: PSNR min %.2f dB, mean %.2f dB; %.0f kbit/s encoded at %d fps; "
              "encode %.2f ms, decode %.2f ms per frame\n",
              otc_codec_name(GetParam()), kWidth, kHeight, min_psnr, mean,
              ps.video_bytes_encoded * 8.0 * kFps / kFrames / 1000, kFps,
              ps.video_encode_time_us / 1000.0 / kFrames, ss.video_decode_time_us / 1000.0 / kFrames);
  // Each codec call's time is counted (a frame of this size costs a codec far more than 1 us).
  EXPECT_GE(ps.video_encode_time_us, static_cast<std::uint64_t>(kFrames));
  EXPECT_GE(ss.video_decode_time_us, static_cast<std::uint64_t>(kFrames));
  EXPECT_EQ(ps.video_frames_captured, static_cast<std::uint64_t>(kFrames));
  EXPECT_EQ(ps.video_frames_dropped_capture, 0u);
  EXPECT_EQ(ps.frames_encrypted, static_cast<std::uint64_t>(kFrames));  // all rendered, so all were sent
  EXPECT_EQ(ss.video_frames_decoded, static_cast<std::uint64_t>(kFrames));
  EXPECT_EQ(ss.video_frames_rendered, static_cast<std::uint64_t>(kFrames));
  EXPECT_EQ(ss.video_decode_errors, 0u);
  EXPECT_EQ(ss.video_frames_skipped, 0u);
  EXPECT_EQ(ss.video_frames_dropped_render, 0u);
  std::lock_guard<std::mutex> rlock(call.relay_mu);
  EXPECT_TRUE(call.all_encrypted);
  ASSERT_EQ(call.video_keyframe_flags.size(), static_cast<std::size_t>(kFrames));
  EXPECT_TRUE(call.video_keyframe_flags[0]);  // the stream starts decodable
}

TEST_P(MediaPipeline, AKeyframeRequestMakesTheNextEncodedFrameAKeyframe) {
  MediaCall call(with_codec(GetParam()));
  ASSERT_NO_FATAL_FAILURE(call.start());
  for (int i = 0; i < 5; ++i) ASSERT_NO_FATAL_FAILURE(call.provide_and_render(i));
  ASSERT_EQ(call.pub_stats().video_keyframes_encoded, 1u);  // only the first so far
  ASSERT_EQ(otc_subscriber_request_keyframe(call.subscriber()), OTC_SUCCESS);
  ASSERT_TRUE(call.pub_events.wait([&] { return call.pub_stats().keyframe_requests == 1; }, kLong));
  ASSERT_NO_FATAL_FAILURE(call.provide_and_render(5));
  EXPECT_EQ(call.pub_stats().video_keyframes_encoded, 2u);
  ASSERT_NO_FATAL_FAILURE(call.provide_and_render(6));
  EXPECT_EQ(call.pub_stats().video_keyframes_encoded, 2u);  // one request, one keyframe
  ASSERT_TRUE(call.sub_events.wait([&] { return call.sub_events.counters.size() == 7; }, kLong));
  std::lock_guard<std::mutex> lock(call.relay_mu);
  const std::vector<bool> expected{true, false, false, false, false, true, false};
  EXPECT_EQ(call.video_keyframe_flags, expected);
}

INSTANTIATE_TEST_SUITE_P(Codecs, MediaPipeline, ::testing::Values(OTC_CODEC_VP8, OTC_CODEC_VP9, OTC_CODEC_H264),
                         [](const ::testing::TestParamInfo<int>& i) { return std::string(otc_codec_name(i.param)); });

// ---- a renderer that falls behind ------------------------------------------------------------------

TEST(MediaRender, ARendererThatFallsBehindLosesPicturesNotTheStream) {
  constexpr int kBurst = 20;
  constexpr int kWaiting = OTC_SUBSCRIBER_MAX_PENDING_PICTURES;
  static_assert(kBurst < OTC_SUBSCRIBER_DECODE_MAX_FRAMES, "every frame of the burst fits the decoder's queue");
  MediaCall::Options o;
  // An on_frame slower than a decode: each decoded picture's render is posted while the next
  // frame is still being handed over, so frames handed over one per callback task would queue
  // behind the stuck render below and never be decoded.
  o.on_frame_ms = 10;
  MediaCall call(o);
  ASSERT_NO_FATAL_FAILURE(call.start());
  MediaEvents& e = call.sub_events;
  struct Unblock {
    MediaEvents& e;
    ~Unblock() { e.set_render_permits(std::numeric_limits<int>::max()); }  // never leave the callback thread stuck
  } unblock{e};
  // The renderer is stuck in frame 0 while the rest of the burst arrives and is decrypted (held
  // renders, not timed ones: the outcome is the same however fast this machine is).
  e.set_render_permits(0);
  ASSERT_NO_FATAL_FAILURE(call.provide_and_wait(0));
  ASSERT_TRUE(e.wait([&] { return e.renders_entered == 1; }, kLong)) << "frame 0 never reached the renderer";
  for (int i = 1; i < kBurst; ++i) ASSERT_NO_FATAL_FAILURE(call.provide_and_wait(i));  // the encoder's pace
  ASSERT_TRUE(e.wait([&] { return call.sub_stats().frames_decrypted == kBurst; }, kLong));
  // Frame 0's render returns and the next one is stuck again: the rest of the burst is decoded
  // behind it, and only the newest pictures wait.
  e.set_render_permits(1);
  ASSERT_TRUE(e.wait([&] { return e.renders_entered == 2 && call.sub_stats().video_frames_decoded == kBurst; }, kLong))
      << "decoded " << call.sub_stats().video_frames_decoded << " of " << kBurst << " behind a stuck renderer";
  e.set_render_permits(std::numeric_limits<int>::max());
  // Each picture is now either rendered or dropped (counted just after the decode, so waited for).
  ASSERT_TRUE(e.wait([&] { return e.counters.size() + call.sub_stats().video_frames_dropped_render == kBurst; }, kLong))
      << "rendered " << e.counters.size() << ", dropped " << call.sub_stats().video_frames_dropped_render;
  // 19 pictures after frame 0: one in the stuck call, kWaiting waiting (kWaiting - 1 when the
  // stuck call took one of the newest), the rest dropped.
  const std::uint64_t dropped = call.sub_stats().video_frames_dropped_render;
  EXPECT_GE(dropped, static_cast<std::uint64_t>(kBurst - 2 - kWaiting));
  EXPECT_LE(dropped, static_cast<std::uint64_t>(kBurst - 1 - kWaiting));
  {
    const auto s = call.sub_stats();
    std::lock_guard<std::mutex> lock(e.mu);
    EXPECT_EQ(s.video_frames_rendered, e.counters.size());
    EXPECT_EQ(s.video_frames_skipped, 0u);
    EXPECT_EQ(e.counters.front(), 0);
    std::vector<int> newest;
    for (int i = kBurst - kWaiting; i < kBurst; ++i) newest.push_back(i);
    EXPECT_EQ(std::vector<int>(e.counters.end() - kWaiting, e.counters.end()), newest)
        << "the oldest waiting pictures make room; the newest are never dropped";
    EXPECT_TRUE(std::is_sorted(e.counters.begin(), e.counters.end()));
    EXPECT_EQ(std::adjacent_find(e.counters.begin(), e.counters.end()), e.counters.end());
  }
  // The renderer catches up: the next frames decode from the same decoder state, all rendered.
  for (int i = kBurst; i < kBurst + 5; ++i) ASSERT_NO_FATAL_FAILURE(call.provide_and_render(i));
  std::lock_guard<std::mutex> lock(e.mu);
  EXPECT_EQ(std::vector<int>(e.counters.end() - 5, e.counters.end()), (std::vector<int>{20, 21, 22, 23, 24}));
  EXPECT_GE(*std::min_element(e.psnr.begin(), e.psnr.end()), 30.0);
  EXPECT_EQ(call.sub_stats().video_frames_skipped, 0u);
  EXPECT_EQ(call.sub_stats().keyframe_requests_sent, 0u) << "no picture drop needs a keyframe";
}

// ---- pixel formats, enabling and disabling ------------------------------------------------------------

TEST(MediaFormats, PackedCaptureFormatsAreConvertedBeforeEncoding) {
  for (otc_video_frame_format format : {OTC_VIDEO_FRAME_FORMAT_ARGB32, OTC_VIDEO_FRAME_FORMAT_NV12,
                                        OTC_VIDEO_FRAME_FORMAT_YUY2}) {
    MediaCall::Options o;
    o.capture_format = format;
    MediaCall call(o);
    ASSERT_NO_FATAL_FAILURE(call.start());
    for (int i = 0; i < 5; ++i) ASSERT_NO_FATAL_FAILURE(call.provide_and_render(i));
    MediaEvents& e = call.sub_events;
    ASSERT_TRUE(e.wait([&] { return e.counters.size() == 5; }, kLong)) << format;
    std::lock_guard<std::mutex> lock(e.mu);
    EXPECT_EQ(e.counters, (std::vector<int>{0, 1, 2, 3, 4})) << format;
    // The RGB round trip (I420 -> ARGB -> I420) and 4:2:2 chroma cost a little; still clean.
    EXPECT_GE(*std::min_element(e.psnr.begin(), e.psnr.end()), 30.0) << format;
  }
  // A rotation the SDK does not apply is refused, not silently ignored.
  MediaCall call(MediaCall::Options{});
  ASSERT_NO_FATAL_FAILURE(call.start());
  const I420Image img = make_test_pattern(kWidth, kHeight, 0);
  otc_video_frame* f = otc_video_frame_new_I420(kWidth, kHeight, img.y.data(), img.y_stride(), img.u.data(),
                                                img.uv_stride(), img.v.data(), img.uv_stride());
  EXPECT_EQ(otc_video_capturer_provide_frame(call.capturer.handle.load(), 90, f), OTC_ERR_NOT_SUPPORTED);
  EXPECT_EQ(otc_video_capturer_provide_frame(call.capturer.handle.load(), 0, nullptr), OTC_ERR_INVALID_PARAM);
  otc_video_frame_delete(f);
}

TEST(MediaSwitches, DisabledVideoIsNotSentOrRenderedAndResumesAtAKeyframe) {
  MediaCall call(MediaCall::Options{});
  ASSERT_NO_FATAL_FAILURE(call.start());
  MediaEvents& e = call.sub_events;
  for (int i = 0; i < 3; ++i) ASSERT_NO_FATAL_FAILURE(call.provide_and_render(i));
  ASSERT_TRUE(e.wait([&] { return e.counters.size() == 3; }, kLong));

  // Publisher side: frames provided while disabled are not encoded; the first one after is a keyframe.
  ASSERT_EQ(otc_publisher_set_publish_video(call.publisher(), OTC_FALSE), OTC_SUCCESS);
  EXPECT_EQ(call.capturer.provide(3), OTC_SUCCESS);
  EXPECT_EQ(call.pub_stats().video_frames_captured, 3u);
  ASSERT_EQ(otc_publisher_set_publish_video(call.publisher(), OTC_TRUE), OTC_SUCCESS);
  ASSERT_NO_FATAL_FAILURE(call.provide_and_render(4));
  EXPECT_EQ(call.pub_stats().video_keyframes_encoded, 2u);
  ASSERT_TRUE(e.wait([&] { return e.counters.size() == 4; }, kLong));

  // Subscriber side: nothing rendered while disabled; re-enabled, it asks for a keyframe and
  // renders from there.
  ASSERT_EQ(otc_subscriber_set_subscribe_to_video(call.subscriber(), OTC_FALSE), OTC_SUCCESS);
  ASSERT_NO_FATAL_FAILURE(call.provide_and_wait(5));
  ASSERT_TRUE(e.wait([&] { return call.sub_stats().frames_delivered == 5; }, kLong));
  const std::uint64_t requests = call.pub_stats().keyframe_requests;
  ASSERT_EQ(otc_subscriber_set_subscribe_to_video(call.subscriber(), OTC_TRUE), OTC_SUCCESS);
  ASSERT_NO_FATAL_FAILURE(call.provide_and_wait(6));  // a delta: skipped, keyframe asked for
  ASSERT_TRUE(e.wait([&] { return call.pub_stats().keyframe_requests > requests; }, kLong));
  ASSERT_NO_FATAL_FAILURE(call.provide_and_render(7));
  ASSERT_TRUE(e.wait([&] { return e.counters.size() == 5; }, kLong));
  std::lock_guard<std::mutex> lock(e.mu);
  EXPECT_EQ(e.counters, (std::vector<int>{0, 1, 2, 4, 7}));
}

// ---- secret mismatch and match -----------------------------------------------------------------------

TEST(MediaSecrets, MismatchDecodesNothingAndMatchIsDecodableAfterOneRoundTrip) {
  MediaCall::Options o;
  o.subscriber_secret = kOtherSecret;
  MediaCall call(o);
  ASSERT_NO_FATAL_FAILURE(call.start());
  MediaEvents& e = call.sub_events;
  // Frames under a secret the subscriber lacks: held, then reported as a mismatch.
  for (int i = 0; i < 5; ++i) ASSERT_NO_FATAL_FAILURE(call.provide_and_wait(i));
  ASSERT_TRUE(e.wait([&] {
    return std::count(e.subscriber_errors.begin(), e.subscriber_errors.end(),
                      OTC_SUBSCRIBER_ENCRYPTION_SECRET_MISMATCH) == 1;
  }, kLong));
  ASSERT_TRUE(e.wait([&] { return call.sub_stats().failed_secret_mismatch == 5; }, kLong));
  EXPECT_EQ(call.sub_stats().video_frames_decoded, 0u);  // nothing reached the decoder
  EXPECT_EQ(call.sub_stats().video_decode_time_us, 0u);
  EXPECT_EQ(call.sub_stats().video_decode_errors, 0u);
  {
    std::lock_guard<std::mutex> lock(e.mu);
    EXPECT_TRUE(e.counters.empty());
  }

  // The subscriber gets the right secret. The next frame is a delta: it decrypts (match, which
  // asks for a keyframe) but is not decoded; the frame after the request's round trip is a
  // keyframe and renders.
  const std::uint64_t requests_before = call.pub_stats().keyframe_requests;
  ASSERT_EQ(otc_session_set_encryption_secret(call.sub_session(), kSecret), OTC_SUCCESS);
  ASSERT_NO_FATAL_FAILURE(call.provide_and_wait(5));
  ASSERT_TRUE(e.wait([&] { return e.matches == 1; }, kLong));
  ASSERT_TRUE(e.wait([&] { return call.pub_stats().keyframe_requests > requests_before; }, kLong));
  ASSERT_NO_FATAL_FAILURE(call.provide_and_wait(6));
  ASSERT_TRUE(e.wait([&] { return !e.counters.empty(); }, kLong));
  std::lock_guard<std::mutex> lock(e.mu);
  EXPECT_EQ(e.counters.front(), 6);
  EXPECT_GE(e.psnr.front(), 30.0);
  EXPECT_EQ(call.sub_stats().video_decode_errors, 0u);
}

// ---- a codec the subscriber does not decode -----------------------------------------------------------

TEST(MediaCodecs, ASubscriberWithoutTheStreamsCodecReportsUnsupportedOnce) {
  MediaCall::Options o;
  o.codec = OTC_CODEC_H264;
  o.subscriber_codecs = {OTC_CODEC_VP8, OTC_CODEC_VP9};
  MediaCall call(o);
  ASSERT_NO_FATAL_FAILURE(call.start());
  for (int i = 0; i < 6; ++i) ASSERT_NO_FATAL_FAILURE(call.provide_and_wait(i));
  MediaEvents& e = call.sub_events;
  ASSERT_TRUE(e.wait([&] { return call.sub_stats().video_frames_skipped == 6; }, kLong));
  std::lock_guard<std::mutex> lock(e.mu);
  EXPECT_EQ(e.codec_errors.size(), 1u);  // once, not per frame
  EXPECT_TRUE(e.counters.empty());
  EXPECT_EQ(call.sub_stats().video_frames_decoded, 0u);
  EXPECT_EQ(call.sub_stats().frames_decrypted, 6u);  // it was the codec, not the crypto

  int bad = OTC_CODEC_OPUS;
  EXPECT_EQ(otc_subscriber_set_video_codecs(call.subscriber(), &bad, 1), OTC_ERR_INVALID_PARAM);
  int vp8 = OTC_CODEC_VP8;
  EXPECT_EQ(otc_subscriber_set_video_codecs(call.subscriber(), &vp8, 1), OTC_ERR_INVALID_STATE);
}

// ---- Opus through the audio device --------------------------------------------------------------------

TEST(MediaAudio, AToneThroughTheAudioDeviceKeepsItsSnr) {
  TestAudioDevice device;
  const otc_audio_device_callbacks dcb = device.callbacks();
  ASSERT_EQ(otc_set_audio_device(&dcb), OTC_SUCCESS);
  {
    MediaCall::Options o;
    o.audio = true;
    MediaCall call(o);
    ASSERT_NO_FATAL_FAILURE(call.start());
    EXPECT_EQ(device.capture_starts.load(), 1);
    EXPECT_EQ(device.render_starts.load(), 1);

    constexpr std::size_t kChunk = 960;  // 20 ms at 48 kHz
    constexpr int kChunks = 50;
    const std::vector<std::int16_t> tone = make_tone(1000.0, 0.5, 1, kChunk * kChunks);
    // The application's render thread pulls 10 ms at a time while audio arrives.
    std::vector<std::int16_t> rendered;
    std::atomic<std::size_t> rendered_count{0};  // what the main thread may look at meanwhile
    std::atomic<bool> rendering{true};
    std::thread render([&] {
      std::vector<std::int16_t> buf(kChunk / 2);
      while (rendering.load()) {
        const std::size_t n = otc_audio_device_read_render_data(buf.data(), buf.size());
        rendered.insert(rendered.end(), buf.begin(), buf.begin() + static_cast<long>(n));
        rendered_count += n;
        if (n == 0) std::this_thread::sleep_for(std::chrono::milliseconds(2));
      }
    });
    // The application's capture thread, paced by the encoder so nothing is dropped.
    std::thread capture([&] {
      for (int i = 0; i < kChunks; ++i) {
        const std::uint64_t before = call.pub_stats().audio_frames_encoded;
        EXPECT_EQ(otc_audio_device_write_capture_data(tone.data() + i * kChunk, kChunk), OTC_SUCCESS);
        EXPECT_TRUE(call.pub_events.wait([&] { return call.pub_stats().audio_frames_encoded == before + 1; }, kLong));
      }
    });
    capture.join();
    const bool decoded =
        call.sub_events.wait([&] { return call.sub_stats().audio_frames_decoded == kChunks; }, kLong);
    std::int16_t probe[1];
    // Until the render thread has drained the buffer: nothing left to read means all was read.
    const auto drain_deadline = std::chrono::steady_clock::now() + kLong;
    while (decoded && rendered_count.load() < tone.size() && std::chrono::steady_clock::now() < drain_deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    rendering = false;
    render.join();
    ASSERT_TRUE(decoded);
    EXPECT_EQ(otc_audio_device_read_render_data(probe, 1), 0u);
    ASSERT_EQ(rendered.size(), tone.size());
    std::size_t lag = 0;
    const double snr = snr_aligned(tone, rendered, 4800, tone.size() - 9600, 2000, lag);
    std::printf("Opus 1 kHz tone through the audio device and the relay: SNR %.2f dB (lag %zu samples)\n", snr, lag);
    EXPECT_GE(snr, 20.0);
    std::lock_guard<std::mutex> lock(call.relay_mu);
    EXPECT_EQ(call.relayed_audio, static_cast<std::uint64_t>(kChunks));
    EXPECT_TRUE(call.all_encrypted);
  }
  // Publisher and subscriber gone: the device was stopped for both.
  EXPECT_EQ(device.capture_stops.load(), 1);
  EXPECT_EQ(device.render_stops.load(), 1);
  EXPECT_EQ(otc_set_audio_device(nullptr), OTC_SUCCESS);
  EXPECT_EQ(otc_audio_device_write_capture_data(nullptr, 0), OTC_ERR_INVALID_STATE);
}

TEST(MediaAudio, AudioOvertakingVideoIsNoLossAndCostsNoKeyframe) {
  // Audio and video share the stream's sequence numbers; the router lets audio overtake queued
  // video, so the subscriber sees e.g. audio 3 before video 2. That is not a lost frame: every
  // video frame must still be decoded and rendered, with no keyframe asked for.
  TestAudioDevice device;
  const otc_audio_device_callbacks dcb = device.callbacks();
  ASSERT_EQ(otc_set_audio_device(&dcb), OTC_SUCCESS);
  {
    constexpr int kFrames = 12;
    constexpr std::size_t kChunk = 960;  // 20 ms at 48 kHz: one Opus frame
    const std::vector<std::int16_t> tone = make_tone(1000.0, 0.5, 1, kChunk);
    MediaCall::Options o;
    o.audio = true;
    o.audio_overtakes_video = true;
    MediaCall call(o);
    ASSERT_NO_FATAL_FAILURE(call.start());
    MediaEvents& e = call.sub_events;
    for (int i = 0; i < kFrames; ++i) {
      // The relay holds video frame i until audio frame i has gone ahead of it.
      ASSERT_NO_FATAL_FAILURE(call.provide_and_wait(i));
      const std::uint64_t before = call.pub_stats().audio_frames_encoded;
      ASSERT_EQ(otc_audio_device_write_capture_data(tone.data(), kChunk), OTC_SUCCESS);
      ASSERT_TRUE(call.pub_events.wait([&] { return call.pub_stats().audio_frames_encoded == before + 1; }, kLong));
      ASSERT_NO_FATAL_FAILURE(call.await_rendered(static_cast<std::size_t>(i + 1))) << "frame " << i;
    }
    {
      std::lock_guard<std::mutex> lock(call.relay_mu);
      EXPECT_EQ(call.audio_overtakes, static_cast<std::uint64_t>(kFrames)) << "each audio frame went ahead of video";
    }
    const auto ss = call.sub_stats();
    EXPECT_EQ(ss.video_frames_skipped, 0u);
    EXPECT_EQ(ss.keyframe_requests_sent, 0u);
    EXPECT_EQ(call.pub_stats().video_keyframes_encoded, 1u);
    std::lock_guard<std::mutex> lock(e.mu);
    std::vector<int> expected(kFrames);
    for (int i = 0; i < kFrames; ++i) expected[i] = i;
    EXPECT_EQ(e.counters, expected);
  }
  EXPECT_EQ(otc_set_audio_device(nullptr), OTC_SUCCESS);
}

// ---- lifetimes: close in any order while the application still provides frames ------------------------

enum class Order { kSessionsFirst, kPublisherFirst, kSubscriberFirst };

class MediaLifetime : public ::testing::TestWithParam<Order> {};

TEST_P(MediaLifetime, CloseInAnyOrderWhileTheCapturerThreadRuns) {
  MediaCall::Options o;
  o.free_running_capturer = true;
  MediaCall call(o);
  ASSERT_NO_FATAL_FAILURE(call.start());
  ASSERT_TRUE(call.capturer.running.load());
  // Frames flow end to end while the application thread keeps providing.
  ASSERT_TRUE(call.sub_events.wait([&] { return call.sub_events.counters.size() >= 3; }, kLong));
  EXPECT_GT(call.pub_stats().video_frames_encoded, 0u);
  switch (GetParam()) {
    case Order::kSessionsFirst:
      call.release_sub_session();
      call.release_pub_session();
      std::this_thread::sleep_for(std::chrono::milliseconds(50));  // frames keep coming meanwhile
      break;
    case Order::kPublisherFirst:
      otc_publisher_delete(call.publisher());
      call.publisher() = nullptr;
      call.release_pub_session();
      break;
    case Order::kSubscriberFirst:
      otc_subscriber_delete(call.subscriber());
      call.subscriber() = nullptr;
      call.release_sub_session();
      break;
  }
  // Then the rest; the capturer is stopped (its thread joined) and destroyed exactly once.
  call.stop_relay();
  otc_subscriber_delete(call.subscriber());
  call.subscriber() = nullptr;
  otc_publisher_delete(call.publisher());
  call.publisher() = nullptr;
  EXPECT_FALSE(call.capturer.running.load());
  EXPECT_EQ(call.capturer.stops.load(), 1);
  EXPECT_EQ(call.capturer.destroys.load(), 1);
}

INSTANTIATE_TEST_SUITE_P(Orders, MediaLifetime,
                         ::testing::Values(Order::kSessionsFirst, Order::kPublisherFirst, Order::kSubscriberFirst));

// ---- API edges ------------------------------------------------------------------------------------------

TEST(MediaApi, CapturerAndDeviceArgumentsAreChecked) {
  EXPECT_EQ(otc_video_capturer_provide_frame(nullptr, 0, nullptr), OTC_ERR_INVALID_PARAM);
  // A capturer whose init fails: no publisher, and destroy is still called.
  TestCapturer c;
  otc_video_capturer_callbacks cb = c.callbacks();
  cb.init = [](const otc_video_capturer*, void*) { return OTC_FALSE; };
  const otc_publisher_callbacks pcb{};
  EXPECT_EQ(otc_publisher_new("x", &cb, &pcb), nullptr);
  EXPECT_EQ(c.destroys.load(), 1);
  // Without get_capture_settings: refused before any callback.
  otc_video_capturer_callbacks no_settings = c.callbacks();
  no_settings.get_capture_settings = nullptr;
  EXPECT_EQ(otc_publisher_new("x", &no_settings, &pcb), nullptr);
  EXPECT_EQ(c.inits.load(), 0);
  // A publisher without a capturer (encoded frames from the application) still works as before.
  otc_publisher* p = otc_publisher_new("x", nullptr, &pcb);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(otc_publisher_set_publish_video(p, OTC_FALSE), OTC_SUCCESS);
  otc_publisher_delete(p);
  otc_publisher_settings* s = otc_publisher_settings_new();
  EXPECT_EQ(otc_publisher_settings_set_video_bitrate(s, 10), OTC_ERR_INVALID_PARAM);
  EXPECT_EQ(otc_publisher_settings_set_video_bitrate(s, 500000), OTC_SUCCESS);
  otc_publisher_settings_delete(s);
  // Audio data calls without a device.
  std::int16_t pcm[960] = {};
  EXPECT_EQ(otc_audio_device_write_capture_data(pcm, 960), OTC_ERR_INVALID_STATE);
  EXPECT_EQ(otc_audio_device_read_render_data(pcm, 960), 0u);
  EXPECT_EQ(otc_audio_device_read_render_data(nullptr, 960), 0u);
}

}  // namespace
