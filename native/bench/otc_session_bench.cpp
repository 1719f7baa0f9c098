// Session receive benchmark (benchmarks/README.md, "Decrypt on all cores"): one E2EE client
// subscribed to N streams (default 16) of S-byte video frames (default 100 KB), fed by the
// scripted router of the tests over loopback TCP.
//
//   otc_session_bench [paced|max] [streams] [frame_bytes] [fps] [seconds]
//
// paced: every stream sends `fps` frames per second; reports frames delivered per second, the
//        client's CPU (process CPU minus the sender thread's, in cores) and the send-to-on_frame
//        latency (p50/p99).
// max:   the sender keeps at most 32 frames per stream in flight (sent, not yet delivered), so
//        the client runs flat out without dropping; reports the frames per second it sustains.
// Frames are encrypted by the sender thread as they go out (its CPU is excluded from the
// client's). on_frame reads the frame's first and last byte, nothing more.
#include <otc/otc.h>
#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "fake_router.hpp"
#include "media_frames.hpp"
#include "session/protocol.hpp"

namespace {

namespace wire = otc::client::wire;
using Clock = std::chrono::steady_clock;

constexpr char kSessionId[] = "bench-session";
constexpr char kSecret[] = "a shared secret for the session bench";

double cpu_seconds(int who) {
  rusage ru{};
  getrusage(who, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

struct Stream {
  std::atomic<std::uint64_t> delivered{0};
  std::atomic<std::uint64_t>* total = nullptr;
  std::mutex* lat_mu = nullptr;
  std::vector<double>* latencies_us = nullptr;
  std::atomic<bool>* measuring = nullptr;
  std::atomic<std::uint64_t>* checksum = nullptr;
  otc_frame_cryptor* sender = nullptr;
  otc_subscriber* sub = nullptr;
};

void on_frame(otc_subscriber*, void* u, const otc_media_frame* f) {
  Stream* s = static_cast<Stream*>(u);
  if (f->size >= 8) {
    std::int64_t sent_ns = 0;
    std::memcpy(&sent_ns, f->data, 8);
    const std::int64_t now_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count();
    if (s->measuring->load(std::memory_order_relaxed)) {
      std::lock_guard<std::mutex> lock(*s->lat_mu);
      s->latencies_us->push_back(static_cast<double>(now_ns - sent_ns) / 1e3);
    }
    s->checksum->fetch_add(f->data[f->size - 1], std::memory_order_relaxed);
  }
  s->delivered.fetch_add(1, std::memory_order_release);
  s->total->fetch_add(1, std::memory_order_relaxed);
}

std::vector<std::uint8_t> frame(otc_frame_cryptor* sender, const std::string& stream_id, std::uint32_t seq,
                                std::vector<std::uint8_t>& plain) {
  const std::int64_t now_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count();
  std::memcpy(plain.data(), &now_ns, 8);
  std::vector<std::uint8_t> message =
      otc_test::encrypted_media_frame(sender, stream_id, seq, seq % 60 == 0, plain.data(), plain.size());
  if (message.empty()) {
    std::fprintf(stderr, "encrypt failed\n");
    std::exit(1);
  }
  return message;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "paced";
  const int streams = argc > 2 ? std::atoi(argv[2]) : 16;
  const size_t bytes = argc > 3 ? static_cast<size_t>(std::atol(argv[3])) : 100000;
  const int fps = argc > 4 ? std::atoi(argv[4]) : 30;
  const double seconds = argc > 5 ? std::atof(argv[5]) : 10.0;
  if ((mode != "paced" && mode != "max") || streams < 1 || streams > 64 || bytes < 16 || fps < 1 || seconds <= 0) {
    std::fprintf(stderr, "usage: otc_session_bench [paced|max] [streams] [frame_bytes] [fps] [seconds]\n");
    return 2;
  }

  otc_test::FakeRouter router;
  std::atomic<int> streams_seen{0}, subscribed{0};
  std::mutex copies_mu;
  std::vector<otc_stream*> copies;
  struct Ctx {
    std::atomic<int>* seen;
    std::mutex* mu;
    std::vector<otc_stream*>* copies;
  } ctx{&streams_seen, &copies_mu, &copies};
  otc_session_callbacks scb{};
  scb.user_data = &ctx;
  scb.on_stream_received = [](otc_session*, void* u, const otc_stream* s) {
    Ctx* c = static_cast<Ctx*>(u);
    std::lock_guard<std::mutex> lock(*c->mu);
    c->copies->push_back(otc_stream_copy(s));
    c->seen->fetch_add(1);
  };
  otc_session_settings* settings = otc_session_settings_new();
  otc_session_settings_set_router_url(settings, router.url().c_str());
  otc_session* session = otc_session_new_with_settings(nullptr, kSessionId, &scb, settings);
  otc_session_settings_delete(settings);
  otc_session_set_encryption_secret(session, kSecret);
  otc_session_connect(session, "token");
  if (!router.handshake(kSessionId, true)) {
    std::fprintf(stderr, "handshake failed\n");
    return 1;
  }
  for (int i = 0; i < streams; ++i) {
    wire::StreamCreated sc;
    sc.stream_id = "s-" + std::to_string(i);
    sc.connection_id = "publisher-" + std::to_string(i);
    sc.has_video = 1;
    sc.video_codec = OTC_CODEC_VP8;
    sc.e2ee = 1;
    router.send(wire::encode(sc));
  }
  while (streams_seen.load() < streams) std::this_thread::sleep_for(std::chrono::milliseconds(5));

  std::atomic<std::uint64_t> total{0}, checksum{0};
  std::atomic<bool> measuring{false};
  std::mutex lat_mu;
  std::vector<double> latencies;
  std::vector<std::unique_ptr<Stream>> subs;
  for (int i = 0; i < streams; ++i) {
    auto s = std::make_unique<Stream>();
    s->total = &total;
    s->lat_mu = &lat_mu;
    s->latencies_us = &latencies;
    s->measuring = &measuring;
    s->checksum = &checksum;
    s->sender = otc_frame_cryptor_new(kSessionId, 0);
    if (s->sender == nullptr ||
        otc_frame_cryptor_set_encryption_secret(s->sender, reinterpret_cast<const std::uint8_t*>(kSecret),
                                                std::strlen(kSecret)) != OTC_SUCCESS) {
      std::fprintf(stderr, "bench: sender cryptor setup failed\n");
      std::exit(1);
    }
    otc_subscriber_callbacks cb{};
    cb.on_frame = on_frame;
    cb.user_data = s.get();
    otc_stream* st = nullptr;
    {
      std::lock_guard<std::mutex> lock(copies_mu);
      for (otc_stream* c : copies) {
        if (std::string(otc_stream_get_id(c)) == "s-" + std::to_string(i)) st = c;
      }
    }
    s->sub = otc_subscriber_new(st, &cb);
    otc_session_subscribe(session, s->sub);
    router.read_until(static_cast<std::uint8_t>(wire::MsgType::kSubscribe));
    router.send(wire::encode(wire::Subscribed{"s-" + std::to_string(i)}));
    subs.push_back(std::move(s));
  }

  std::vector<std::uint8_t> plain(bytes, 0x42);
  // Warm-up: one frame per stream (the first frame of a sender derives its key).
  std::vector<std::uint32_t> seq(static_cast<size_t>(streams), 0);
  for (int i = 0; i < streams; ++i) {
    router.send(frame(subs[static_cast<size_t>(i)]->sender, "s-" + std::to_string(i), seq[static_cast<size_t>(i)]++, plain));
  }
  while (total.load() < static_cast<std::uint64_t>(streams)) std::this_thread::sleep_for(std::chrono::milliseconds(1));

  const std::uint64_t total_before = total.load();
  const double proc_cpu0 = cpu_seconds(RUSAGE_SELF);
  const double sender_cpu0 = thread_cpu_seconds();
  const auto t0 = Clock::now();
  measuring = true;
  const auto end = t0 + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  std::uint64_t sent = 0;
  if (mode == "paced") {
    const auto period = std::chrono::nanoseconds(1000000000LL / fps);
    auto next = t0;
    while (Clock::now() < end) {
      for (int i = 0; i < streams; ++i) {
        router.send(frame(subs[static_cast<size_t>(i)]->sender, "s-" + std::to_string(i), seq[static_cast<size_t>(i)]++, plain));
        ++sent;
      }
      next += period;
      std::this_thread::sleep_until(next);
    }
  } else {
    constexpr std::uint64_t kInFlight = 32;
    while (Clock::now() < end) {
      bool any = false;
      for (int i = 0; i < streams; ++i) {
        Stream& s = *subs[static_cast<size_t>(i)];
        const std::uint64_t sent_i = seq[static_cast<size_t>(i)];
        if (sent_i - s.delivered.load(std::memory_order_acquire) >= kInFlight) continue;
        router.send(frame(s.sender, "s-" + std::to_string(i), seq[static_cast<size_t>(i)]++, plain));
        ++sent;
        any = true;
      }
      if (!any) std::this_thread::yield();
    }
  }
  // Let what was sent arrive (bounded wait).
  const std::uint64_t target = total_before + sent;
  const auto drain_deadline = Clock::now() + std::chrono::seconds(10);
  while (total.load() < target && Clock::now() < drain_deadline) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  const auto t1 = Clock::now();
  measuring = false;
  const double wall = std::chrono::duration<double>(t1 - t0).count();
  const double sender_cpu = thread_cpu_seconds() - sender_cpu0;
  const double client_cpu = cpu_seconds(RUSAGE_SELF) - proc_cpu0 - sender_cpu;
  const std::uint64_t delivered = total.load() - total_before;

  std::vector<double> lat;
  {
    std::lock_guard<std::mutex> lock(lat_mu);
    lat = latencies;
  }
  std::sort(lat.begin(), lat.end());
  auto pct = [&](double p) { return lat.empty() ? 0.0 : lat[std::min(lat.size() - 1, static_cast<size_t>(p * static_cast<double>(lat.size())))]; };
  std::uint64_t dropped = 0, failed = 0;
  for (auto& s : subs) {
    otc_subscriber_stats st = OTC_SUBSCRIBER_STATS_INIT;
    otc_subscriber_get_stats(s->sub, &st);
    dropped += st.frames_dropped_queue;
    failed += st.failed_authentication + st.failed_replayed + st.failed_malformed + st.failed_internal;
  }
  std::printf("mode=%s streams=%d frame_bytes=%zu fps=%d: sent %llu, delivered %llu in %.2f s = %.0f frames/s "
              "(%.0f MB/s); client CPU %.2f s = %.2f cores (%.1f us per frame); sender CPU %.2f s; "
              "latency p50 %.0f us p99 %.0f us; dropped %llu failed %llu\n",
              mode.c_str(), streams, bytes, fps, static_cast<unsigned long long>(sent),
              static_cast<unsigned long long>(delivered), wall, static_cast<double>(delivered) / wall,
              static_cast<double>(delivered) * static_cast<double>(bytes) / wall / 1e6, client_cpu, client_cpu / wall,
              delivered ? client_cpu / static_cast<double>(delivered) * 1e6 : 0.0, sender_cpu, pct(0.5), pct(0.99),
              static_cast<unsigned long long>(dropped), static_cast<unsigned long long>(failed));

  otc_session_delete(session);
  for (auto& s : subs) {
    otc_subscriber_delete(s->sub);
    otc_frame_cryptor_delete(s->sender);
  }
  for (otc_stream* c : copies) otc_stream_delete(c);
  return 0;
}
