// The pipeline runs one encoder or decoder per stream on worker threads: codec objects of every
// kind, created and used on different threads at once, must stay independent (the codec
// libraries' one-time CPU detection and table setup included). Each thread checks its own output.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "media/codec.hpp"
#include "signal_quality.hpp"
#include "test_pattern.hpp"

namespace {

void video_round_trip(int codec, int offset, std::atomic<int>& failures) {
  otc::media::VideoEncoderConfig config;
  config.width = 320;
  config.height = 180;
  config.bitrate_kbps = 800;
  auto encoder = otc::media::make_video_encoder(codec, config, nullptr);
  auto decoder = otc::media::make_video_decoder(codec, nullptr);
  if (!encoder || !decoder) {
    ++failures;
    return;
  }
  for (int i = 0; i < 20; ++i) {
    const otc_test::I420Image img = otc_test::make_test_pattern(320, 180, offset + i);
    const std::uint8_t* planes[3] = {img.y.data(), img.u.data(), img.v.data()};
    const int strides[3] = {img.y_stride(), img.uv_stride(), img.uv_stride()};
    otc_video_frame frame;
    otc::media::EncodedVideo encoded;
    otc::media::VideoFramePtr picture;
    if (otc::media::make_view(OTC_VIDEO_FRAME_FORMAT_YUV420P, 320, 180, planes, strides, frame) != OTC_SUCCESS ||
        encoder->encode(frame, false, encoded) != OTC_SUCCESS ||
        decoder->decode(encoded.bytes.data(), encoded.bytes.size(), picture) != OTC_SUCCESS || !picture) {
      ++failures;
      return;
    }
    const std::uint8_t* ref[3] = {img.y.data(), img.u.data(), img.v.data()};
    const std::uint8_t* got[3] = {picture->data[0], picture->data[1], picture->data[2]};
    const int got_strides[3] = {picture->stride[0], picture->stride[1], picture->stride[2]};
    if (otc_test::psnr_i420(320, 180, ref, strides, got, got_strides) < 30.0) {
      ++failures;
    }
  }
}

void audio_round_trip(std::atomic<int>& failures) {
  auto encoder = otc::media::make_audio_encoder(OTC_CODEC_OPUS, {}, nullptr);
  auto decoder = otc::media::make_audio_decoder(OTC_CODEC_OPUS, 1, nullptr);
  if (!encoder || !decoder) {
    ++failures;
    return;
  }
  std::vector<std::uint8_t> packet;
  std::vector<std::int16_t> pcm;
  for (int i = 0; i < 50; ++i) {
    const auto tone = otc_test::make_tone(440.0, 0.3, 1, 960, static_cast<std::size_t>(i) * 960);
    if (encoder->encode(tone.data(), 960, packet) != OTC_SUCCESS ||
        decoder->decode(packet.data(), packet.size(), pcm) != OTC_SUCCESS || pcm.size() != 960) {
      ++failures;
      return;
    }
  }
}

TEST(CodecThreads, EveryCodecOnItsOwnThreadsAtOnce) {
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int round = 0; round < 2; ++round) {
    for (int codec : {OTC_CODEC_VP8, OTC_CODEC_VP9, OTC_CODEC_H264}) {
      threads.emplace_back(video_round_trip, codec, round * 100, std::ref(failures));
    }
    threads.emplace_back(audio_round_trip, std::ref(failures));
  }
  for (auto& t : threads) {
    t.join();
  }
  EXPECT_EQ(failures.load(), 0);
}

}  // namespace
