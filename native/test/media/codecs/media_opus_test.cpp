// Opus through the codec layer: a 1 kHz tone at 48 kHz, mono and stereo, 10 and 20 ms frames,
// encodes and decodes at 64 kbit/s a channel with an SNR above 20 dB once the decoded signal is aligned for the codec's
// delay; loss concealment yields a frame of PCM; malformed packets and bad arguments are errors.
#include <gtest/gtest.h>

#include <cstdio>
#include <random>

#include "media/codec.hpp"
#include "signal_quality.hpp"

namespace {

// Opus is a perceptual codec: it keeps a tone's spectrum, not its exact waveform, so waveform SNR
// depends on the bitrate and mode. Measured on Debian 12's libopus for this -6 dBFS 1 kHz tone
// at 64 kbit/s a channel: ~27 dB in VoIP mode with 20 ms frames, ~43 dB in general-audio mode
// (10 and 20 ms); at 32 kbit/s ~16 dB in either. The bounds below (20 dB VoIP, 35 dB audio) fail
// on any misalignment, wrong sample rate, lost or reordered frame, or channel mix-up.
constexpr int kBitratePerChannel = 64000;

struct Layout {
  int channels;
  int frame_samples;
  bool voice;
  double min_snr_db;
};

struct RoundTrip {
  std::vector<std::int16_t> source;   // interleaved
  std::vector<std::int16_t> decoded;  // interleaved
  std::size_t packets = 0;
  std::size_t bytes = 0;
};

RoundTrip round_trip(int channels, int frame_samples, bool voice, double seconds) {
  RoundTrip rt;
  otc::media::AudioEncoderConfig config;
  config.channels = channels;
  config.bitrate_bps = kBitratePerChannel * channels;
  config.voice = voice;
  otc_status status = OTC_ERR_FATAL;
  auto encoder = otc::media::make_audio_encoder(OTC_CODEC_OPUS, config, &status);
  EXPECT_EQ(status, OTC_SUCCESS);
  auto decoder = otc::media::make_audio_decoder(OTC_CODEC_OPUS, channels, &status);
  EXPECT_EQ(status, OTC_SUCCESS);
  if (!encoder || !decoder) {
    return rt;
  }
  EXPECT_EQ(encoder->channels(), channels);
  EXPECT_EQ(decoder->channels(), channels);
  const auto frames = static_cast<std::size_t>(seconds * 48000 / frame_samples);
  // Mono: 1 kHz. Stereo: 1 kHz left, 1.5 kHz right, so a swapped or mixed channel shows.
  const std::size_t samples = frames * frame_samples;
  rt.source = otc_test::make_tone(1000.0, 0.5, channels, samples);
  if (channels == 2) {
    const std::vector<std::int16_t> right = otc_test::make_tone(1500.0, 0.5, 1, samples);
    for (std::size_t i = 0; i < samples; ++i) {
      rt.source[2 * i + 1] = right[i];
    }
  }
  std::vector<std::uint8_t> packet;
  std::vector<std::int16_t> pcm;
  for (std::size_t i = 0; i < frames; ++i) {
    EXPECT_EQ(encoder->encode(rt.source.data() + i * frame_samples * channels, frame_samples, packet), OTC_SUCCESS);
    EXPECT_FALSE(packet.empty());
    rt.bytes += packet.size();
    ++rt.packets;
    EXPECT_EQ(decoder->decode(packet.data(), packet.size(), pcm), OTC_SUCCESS);
    EXPECT_EQ(pcm.size(), static_cast<std::size_t>(frame_samples * channels)) << "one packet, one frame of PCM";
    rt.decoded.insert(rt.decoded.end(), pcm.begin(), pcm.end());
  }
  return rt;
}

std::vector<std::int16_t> channel(const std::vector<std::int16_t>& pcm, int channels, int which) {
  std::vector<std::int16_t> out;
  for (std::size_t i = which; i < pcm.size(); i += channels) {
    out.push_back(pcm[i]);
  }
  return out;
}

class OpusTone : public ::testing::TestWithParam<Layout> {};

TEST_P(OpusTone, ToneSurvivesAboveTheBound) {
  const auto [channels, frame_samples, voice, min_snr_db] = GetParam();
  const RoundTrip rt = round_trip(channels, frame_samples, voice, 1.0);
  ASSERT_EQ(rt.decoded.size(), rt.source.size());
  for (int c = 0; c < channels; ++c) {
    std::size_t lag = 0;
    // Skip the first 100 ms (encoder start-up), compare 0.5 s, search lags up to 20 ms (libopus
    // delays by its 6.5 ms lookahead; a tone repeats, so the best lag is that delay modulo the period).
    const double snr = otc_test::snr_aligned(channel(rt.source, channels, c), channel(rt.decoded, channels, c), 4800,
                                             24000, 960, lag);
    std::printf("Opus %s %d ch, %d ms frames: SNR %.2f dB (channel %d), aligned at lag %zu; %.1f kbit/s\n",
                voice ? "voip" : "audio", channels, frame_samples / 48, snr, c, lag, rt.bytes * 8.0 / 1000.0);
    EXPECT_GE(snr, min_snr_db);
    EXPECT_LE(lag, 960u);
  }
}

INSTANTIATE_TEST_SUITE_P(Layouts, OpusTone,
                         ::testing::Values(Layout{1, 960, true, 20.0}, Layout{1, 960, false, 35.0},
                                           Layout{1, 480, false, 35.0}, Layout{2, 960, false, 35.0},
                                           Layout{2, 960, true, 20.0}));

TEST(Opus, LossConcealmentGivesOneFrame) {
  otc_status status = OTC_ERR_FATAL;
  auto decoder = otc::media::make_audio_decoder(OTC_CODEC_OPUS, 2, &status);
  ASSERT_NE(decoder, nullptr);
  std::vector<std::int16_t> pcm;
  ASSERT_EQ(decoder->decode(nullptr, 0, pcm), OTC_SUCCESS);
  EXPECT_EQ(pcm.size(), 960u * 2);
}

TEST(Opus, MalformedPacketsAndBadArgumentsAreErrors) {
  otc_status status = OTC_ERR_FATAL;
  auto decoder = otc::media::make_audio_decoder(OTC_CODEC_OPUS, 1, &status);
  ASSERT_NE(decoder, nullptr);
  std::vector<std::int16_t> pcm;
  // TOC code 3 (arbitrary frame count) announcing zero frames: invalid by RFC 6716 sec. 3.2.5.
  const std::uint8_t zero_frames[] = {0xfb, 0x00};
  EXPECT_EQ(decoder->decode(zero_frames, sizeof zero_frames, pcm), OTC_FRAME_MALFORMED);
  EXPECT_TRUE(pcm.empty());
  // Code 1 (two equal frames) with an odd payload length: invalid as well.
  const std::uint8_t uneven[] = {0x01, 0x10, 0x20, 0x30};
  EXPECT_EQ(decoder->decode(uneven, sizeof uneven, pcm), OTC_FRAME_MALFORMED);
  // Random packets: an error or at most 120 ms of PCM, never a crash.
  std::mt19937 rng(99);
  for (int i = 0; i < 500; ++i) {
    std::vector<std::uint8_t> junk(1 + rng() % 1500);
    for (auto& b : junk) {
      b = static_cast<std::uint8_t>(rng());
    }
    const otc_status s = decoder->decode(junk.data(), junk.size(), pcm);
    EXPECT_TRUE(s == OTC_SUCCESS || s == OTC_FRAME_MALFORMED) << s;
    EXPECT_LE(pcm.size(), 5760u);
  }
  EXPECT_EQ(decoder->decode(nullptr, 5, pcm), OTC_ERR_INVALID_PARAM);
  EXPECT_EQ(decoder->decode(zero_frames, 0, pcm), OTC_ERR_INVALID_PARAM);

  auto encoder = otc::media::make_audio_encoder(OTC_CODEC_OPUS, {}, &status);
  ASSERT_NE(encoder, nullptr);
  std::vector<std::int16_t> frame(960, 0);
  std::vector<std::uint8_t> packet;
  EXPECT_EQ(encoder->encode(frame.data(), 100, packet), OTC_ERR_INVALID_PARAM);  // not 10 or 20 ms
  EXPECT_EQ(encoder->encode(nullptr, 960, packet), OTC_ERR_INVALID_PARAM);

  otc::media::AudioEncoderConfig bad;
  bad.channels = 3;
  EXPECT_EQ(otc::media::make_audio_encoder(OTC_CODEC_OPUS, bad, &status), nullptr);
  EXPECT_EQ(status, OTC_ERR_INVALID_PARAM);
  bad.channels = 1;
  bad.bitrate_bps = 100;
  EXPECT_EQ(otc::media::make_audio_encoder(OTC_CODEC_OPUS, bad, &status), nullptr);
  EXPECT_EQ(status, OTC_ERR_INVALID_PARAM);
  EXPECT_EQ(otc::media::make_audio_encoder(OTC_CODEC_VP8, {}, &status), nullptr);
  EXPECT_EQ(status, OTC_ERR_NOT_SUPPORTED);
  EXPECT_EQ(otc::media::make_audio_decoder(OTC_CODEC_OPUS, 0, &status), nullptr);
  EXPECT_EQ(status, OTC_ERR_INVALID_PARAM);
}

}  // namespace
