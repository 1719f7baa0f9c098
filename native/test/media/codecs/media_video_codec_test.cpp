// VP8, VP9 and H.264 through the codec layer (src/media/codec.hpp): a moving test pattern encodes
// and decodes at >= 30 dB PSNR with count and order kept; a keyframe request yields a keyframe by
// the codec's own bitstream (libvpx's stream info, the H.264 NAL unit type), not just our flag;
// decoders refuse garbage, truncated frames and inter frames without their keyframe, and recover
// at the next keyframe; bad arguments get an error.
#include <gtest/gtest.h>
#include <vpx/vp8dx.h>
#include <vpx/vpx_decoder.h>

#include <chrono>
#include <cstdio>
#include <random>
#include <string>

#include "media/codec.hpp"
#include "media/h264_nal.hpp"
#include "otc/capabilities.h"
#include "signal_quality.hpp"
#include "test_pattern.hpp"

namespace {

using otc::media::EncodedVideo;
using otc::media::VideoFramePtr;

// Owns the pattern image and a view of it as an otc_video_frame.
struct PatternFrame {
  otc_test::I420Image image;
  otc_video_frame frame;
  PatternFrame(int w, int h, int index) : image(otc_test::make_test_pattern(w, h, index)) {
    const std::uint8_t* planes[3] = {image.y.data(), image.u.data(), image.v.data()};
    const int strides[3] = {image.y_stride(), image.uv_stride(), image.uv_stride()};
    EXPECT_EQ(otc::media::make_view(OTC_VIDEO_FRAME_FORMAT_YUV420P, w, h, planes, strides, frame), OTC_SUCCESS);
  }
};

double psnr(const otc_test::I420Image& ref, const otc_video_frame& decoded) {
  const std::uint8_t* r[3] = {ref.y.data(), ref.u.data(), ref.v.data()};
  const int rs[3] = {ref.y_stride(), ref.uv_stride(), ref.uv_stride()};
  const std::uint8_t* d[3] = {decoded.data[0], decoded.data[1], decoded.data[2]};
  const int ds[3] = {decoded.stride[0], decoded.stride[1], decoded.stride[2]};
  return otc_test::psnr_i420(ref.width, ref.height, r, rs, d, ds);
}

// Keyframe by the bitstream, read with tools independent of our encoder's flag.
bool bitstream_is_keyframe(int codec, const std::vector<std::uint8_t>& bytes) {
  if (codec == OTC_CODEC_H264) {
    bool idr = false;
    for (std::size_t i = 0; i + 3 < bytes.size(); ++i) {
      if (bytes[i] == 0 && bytes[i + 1] == 0 && bytes[i + 2] == 1 && (bytes[i + 3] & 0x1f) == 5) {
        idr = true;
      }
    }
    return idr;
  }
  vpx_codec_stream_info_t info{};
  info.sz = sizeof(info);
  vpx_codec_iface_t* iface = codec == OTC_CODEC_VP8 ? vpx_codec_vp8_dx() : vpx_codec_vp9_dx();
  return vpx_codec_peek_stream_info(iface, bytes.data(), static_cast<unsigned>(bytes.size()), &info) == VPX_CODEC_OK &&
         info.is_kf != 0;
}

std::unique_ptr<otc::media::VideoEncoder> encoder_for(int codec, int w, int h, int kbps = 1500) {
  otc::media::VideoEncoderConfig config;
  config.width = w;
  config.height = h;
  config.fps = 30;
  config.bitrate_kbps = kbps;
  otc_status status = OTC_ERR_FATAL;
  auto encoder = otc::media::make_video_encoder(codec, config, &status);
  EXPECT_EQ(status, OTC_SUCCESS);
  return encoder;
}

std::unique_ptr<otc::media::VideoDecoder> decoder_for(int codec) {
  otc_status status = OTC_ERR_FATAL;
  auto decoder = otc::media::make_video_decoder(codec, &status);
  EXPECT_EQ(status, OTC_SUCCESS);
  return decoder;
}

class VideoCodec : public ::testing::TestWithParam<int> {
 protected:
  int codec() const { return GetParam(); }
  std::string name() const { return otc_codec_name(codec()); }
};

TEST_P(VideoCodec, MovingPatternRoundTripsAbove30DbInOrder) {
  constexpr int kW = 640;
  constexpr int kH = 360;
  constexpr int kFrames = 30;
  auto encoder = encoder_for(codec(), kW, kH);
  auto decoder = decoder_for(codec());
  ASSERT_NE(encoder, nullptr);
  ASSERT_NE(decoder, nullptr);
  EXPECT_EQ(encoder->codec(), codec());
  EXPECT_EQ(decoder->codec(), codec());
  double min_psnr = 1e9;
  double sum_psnr = 0;
  std::size_t total_bytes = 0;
  double encode_ms = 0;
  double decode_ms = 0;
  int keyframes = 0;
  for (int i = 0; i < kFrames; ++i) {
    PatternFrame source(kW, kH, i);
    EncodedVideo encoded;
    const auto t0 = std::chrono::steady_clock::now();
    ASSERT_EQ(encoder->encode(source.frame, false, encoded), OTC_SUCCESS) << i;
    const auto t1 = std::chrono::steady_clock::now();
    ASSERT_FALSE(encoded.bytes.empty()) << "frame " << i << " dropped";
    EXPECT_EQ(encoded.keyframe, bitstream_is_keyframe(codec(), encoded.bytes)) << i;
    EXPECT_EQ(encoded.keyframe, i == 0) << "only the first frame is a keyframe; frame " << i;
    EXPECT_EQ(encoded.width, kW);
    EXPECT_EQ(encoded.height, kH);
    keyframes += encoded.keyframe ? 1 : 0;
    total_bytes += encoded.bytes.size();
    VideoFramePtr picture;
    const auto t2 = std::chrono::steady_clock::now();
    ASSERT_EQ(decoder->decode(encoded.bytes.data(), encoded.bytes.size(), picture), OTC_SUCCESS) << i;
    const auto t3 = std::chrono::steady_clock::now();
    ASSERT_NE(picture, nullptr) << "no picture for frame " << i;
    encode_ms += std::chrono::duration<double, std::milli>(t1 - t0).count();
    decode_ms += std::chrono::duration<double, std::milli>(t3 - t2).count();
    ASSERT_EQ(picture->format, OTC_VIDEO_FRAME_FORMAT_YUV420P);
    ASSERT_EQ(picture->width, kW);
    ASSERT_EQ(picture->height, kH);
    // Order and count: the decoded picture carries the number of the frame just sent.
    EXPECT_EQ(otc_test::read_frame_counter(picture->data[0], picture->stride[0], kW, kH), i);
    const double p = psnr(source.image, *picture);
    EXPECT_GE(p, 30.0) << name() << " frame " << i;
    min_psnr = std::min(min_psnr, p);
    sum_psnr += p;
  }
  EXPECT_EQ(keyframes, 1);
  std::printf("%s 640x360: PSNR min %.2f dB, mean %.2f dB; %.0f kbit/s at 30 fps; encode %.2f ms/frame, decode %.2f ms/frame\n",
              name().c_str(), min_psnr, sum_psnr / kFrames, total_bytes * 8.0 * 30 / kFrames / 1000, encode_ms / kFrames,
              decode_ms / kFrames);
}

TEST_P(VideoCodec, KeyframeRequestMakesTheNextFrameAKeyframe) {
  auto encoder = encoder_for(codec(), 320, 180, 600);
  auto decoder = decoder_for(codec());
  ASSERT_NE(encoder, nullptr);
  ASSERT_NE(decoder, nullptr);
  for (int i = 0; i < 12; ++i) {
    PatternFrame source(320, 180, i);
    const bool force = i == 5 || i == 9;
    EncodedVideo encoded;
    ASSERT_EQ(encoder->encode(source.frame, force, encoded), OTC_SUCCESS);
    EXPECT_EQ(bitstream_is_keyframe(codec(), encoded.bytes), i == 0 || force) << name() << " frame " << i;
    EXPECT_EQ(encoded.keyframe, i == 0 || force) << name() << " frame " << i;
    VideoFramePtr picture;
    ASSERT_EQ(decoder->decode(encoded.bytes.data(), encoded.bytes.size(), picture), OTC_SUCCESS);
    ASSERT_NE(picture, nullptr);
  }
  // A fresh decoder starts at the requested keyframe: what a new subscriber gets.
  auto late = decoder_for(codec());
  PatternFrame inter(320, 180, 12);
  EncodedVideo encoded;
  ASSERT_EQ(encoder->encode(inter.frame, false, encoded), OTC_SUCCESS);
  VideoFramePtr picture;
  EXPECT_EQ(late->decode(encoded.bytes.data(), encoded.bytes.size(), picture), OTC_FRAME_MALFORMED)
      << "an inter frame without its keyframe must not decode";
  EXPECT_EQ(picture, nullptr);
  PatternFrame key(320, 180, 13);
  ASSERT_EQ(encoder->encode(key.frame, true, encoded), OTC_SUCCESS);
  ASSERT_EQ(late->decode(encoded.bytes.data(), encoded.bytes.size(), picture), OTC_SUCCESS);
  ASSERT_NE(picture, nullptr);
  EXPECT_GE(psnr(key.image, *picture), 30.0);
  EXPECT_EQ(otc_test::read_frame_counter(picture->data[0], picture->stride[0], 320, 180), -1);  // too small for it
}

TEST_P(VideoCodec, DecoderRefusesGarbageAndTruncationAndRecoversAtTheNextKeyframe) {
  auto encoder = encoder_for(codec(), 640, 360);
  auto decoder = decoder_for(codec());
  ASSERT_NE(encoder, nullptr);
  ASSERT_NE(decoder, nullptr);
  VideoFramePtr picture;
  // Random bytes into a fresh decoder, and byte strings that look like a keyframe's start.
  std::mt19937 rng(1234);
  for (int round = 0; round < 300; ++round) {
    std::vector<std::uint8_t> junk(1 + rng() % 3000);
    for (auto& b : junk) {
      b = static_cast<std::uint8_t>(rng());
    }
    if (round % 3 == 1 && junk.size() > 10) {
      if (codec() == OTC_CODEC_H264) {
        junk[0] = 0; junk[1] = 0; junk[2] = 0; junk[3] = 1; junk[4] = 0x65;  // IDR slice header, random body
      } else {
        junk[0] &= 0xfe;  // VP8 keyframe bit; VP9: a frame marker in half the cases
        junk[3] = 0x9d; junk[4] = 0x01; junk[5] = 0x2a;
      }
    }
    const otc_status status = decoder->decode(junk.data(), junk.size(), picture);
    EXPECT_TRUE(status == OTC_FRAME_MALFORMED || status == OTC_SUCCESS) << status;
    if (picture) {  // a random string that happens to decode must still be a sane picture
      EXPECT_LE(picture->width, OTC_VIDEO_FRAME_MAX_DIMENSION);
    }
  }
  // A VP8 keyframe header announcing 16383x16383: refused before the decoder allocates for it.
  if (codec() == OTC_CODEC_VP8) {
    std::vector<std::uint8_t> huge = {0x50, 0x42, 0x00, 0x9d, 0x01, 0x2a, 0xff, 0x3f, 0xff, 0x3f};
    huge.resize(200, 0x11);
    EXPECT_EQ(decoder->decode(huge.data(), huge.size(), picture), OTC_FRAME_MALFORMED);
  }
  EXPECT_EQ(decoder->decode(nullptr, 10, picture), OTC_ERR_INVALID_PARAM);
  const std::uint8_t one = 0;
  EXPECT_EQ(decoder->decode(&one, 0, picture), OTC_ERR_INVALID_PARAM);
  EXPECT_EQ(decoder->decode(&one, OTC_MEDIA_FRAME_MAX_SIZE + 1, picture), OTC_ERR_INVALID_PARAM);

  // A good stream on the same decoder: a keyframe then inter frames decode.
  auto decoder2 = decoder_for(codec());
  EncodedVideo encoded;
  for (int i = 0; i < 3; ++i) {
    PatternFrame f(640, 360, i);
    ASSERT_EQ(encoder->encode(f.frame, false, encoded), OTC_SUCCESS);
    ASSERT_EQ(decoder2->decode(encoded.bytes.data(), encoded.bytes.size(), picture), OTC_SUCCESS) << i;
  }
  // Truncated inter frame: an error, then the following inter frames are refused (their reference
  // is broken), until a keyframe.
  PatternFrame f3(640, 360, 3);
  ASSERT_EQ(encoder->encode(f3.frame, false, encoded), OTC_SUCCESS);
  ASSERT_GT(encoded.bytes.size(), 20u);
  EXPECT_EQ(decoder2->decode(encoded.bytes.data(), encoded.bytes.size() / 3, picture), OTC_FRAME_MALFORMED)
      << name() << ": truncated frame of " << encoded.bytes.size() << " bytes";
  EXPECT_EQ(picture, nullptr);
  PatternFrame f4(640, 360, 4);
  ASSERT_EQ(encoder->encode(f4.frame, false, encoded), OTC_SUCCESS);
  EXPECT_EQ(decoder2->decode(encoded.bytes.data(), encoded.bytes.size(), picture), OTC_FRAME_MALFORMED);
  PatternFrame f5(640, 360, 5);
  ASSERT_EQ(encoder->encode(f5.frame, true, encoded), OTC_SUCCESS);
  ASSERT_EQ(decoder2->decode(encoded.bytes.data(), encoded.bytes.size(), picture), OTC_SUCCESS);
  ASSERT_NE(picture, nullptr);
  EXPECT_GE(psnr(f5.image, *picture), 30.0);
  EXPECT_EQ(otc_test::read_frame_counter(picture->data[0], picture->stride[0], 640, 360), 5);
}

TEST_P(VideoCodec, FollowsInputSizeScalesToConfiguredSizeAndTakesOtherFormats) {
  // 0x0: follow the input; a size change restarts with a keyframe at the new size.
  auto follow = encoder_for(codec(), 0, 0, 800);
  auto decoder = decoder_for(codec());
  ASSERT_NE(follow, nullptr);
  EncodedVideo encoded;
  VideoFramePtr picture;
  const int sizes[][2] = {{320, 180}, {320, 180}, {480, 270}, {481, 271}};
  int previous_w = 0;
  for (int i = 0; i < 4; ++i) {
    const int w = sizes[i][0];
    const int h = sizes[i][1];
    PatternFrame f(w, h, i);
    ASSERT_EQ(follow->encode(f.frame, false, encoded), OTC_SUCCESS) << i;
    // H.264 encodes 4:2:0 in whole chroma samples: an odd size loses its last column and row.
    const int ew = codec() == OTC_CODEC_H264 ? w & ~1 : w;
    const int eh = codec() == OTC_CODEC_H264 ? h & ~1 : h;
    EXPECT_EQ(encoded.keyframe, ew != previous_w) << "keyframe exactly when the encoded size changes; frame " << i;
    EXPECT_EQ(bitstream_is_keyframe(codec(), encoded.bytes), encoded.keyframe) << i;
    previous_w = ew;
    EXPECT_EQ(encoded.width, ew);
    EXPECT_EQ(encoded.height, eh);
    ASSERT_EQ(decoder->decode(encoded.bytes.data(), encoded.bytes.size(), picture), OTC_SUCCESS) << i;
    ASSERT_NE(picture, nullptr);
    EXPECT_EQ(picture->width, ew);
    EXPECT_EQ(picture->height, eh);
  }
  // A configured size: 640x360 input scaled to 320x180; an ARGB32 input is converted first.
  auto scaled = encoder_for(codec(), 320, 180, 600);
  auto decoder2 = decoder_for(codec());
  PatternFrame big(640, 360, 0);
  ASSERT_EQ(scaled->encode(big.frame, false, encoded), OTC_SUCCESS);
  ASSERT_EQ(decoder2->decode(encoded.bytes.data(), encoded.bytes.size(), picture), OTC_SUCCESS);
  ASSERT_NE(picture, nullptr);
  EXPECT_EQ(picture->width, 320);
  EXPECT_EQ(picture->height, 180);
  VideoFramePtr argb;
  ASSERT_EQ(otc::media::convert_frame(big.frame, OTC_VIDEO_FRAME_FORMAT_ARGB32, argb), OTC_SUCCESS);
  ASSERT_EQ(scaled->encode(*argb, false, encoded), OTC_SUCCESS);
  ASSERT_EQ(decoder2->decode(encoded.bytes.data(), encoded.bytes.size(), picture), OTC_SUCCESS);
  ASSERT_NE(picture, nullptr);
  EXPECT_EQ(picture->width, 320);
}

TEST_P(VideoCodec, BadArgumentsAreRefused) {
  otc::media::VideoEncoderConfig config;
  otc_status status = OTC_SUCCESS;
  config.width = 9000;
  config.height = 100;
  EXPECT_EQ(otc::media::make_video_encoder(codec(), config, &status), nullptr);
  EXPECT_EQ(status, OTC_ERR_INVALID_PARAM);
  config = {};
  config.fps = 0;
  EXPECT_EQ(otc::media::make_video_encoder(codec(), config, &status), nullptr);
  EXPECT_EQ(status, OTC_ERR_INVALID_PARAM);
  config = {};
  config.bitrate_kbps = 1;
  EXPECT_EQ(otc::media::make_video_encoder(codec(), config, &status), nullptr);
  EXPECT_EQ(status, OTC_ERR_INVALID_PARAM);
  config = {};
  config.width = 320;  // width without height
  EXPECT_EQ(otc::media::make_video_encoder(codec(), config, &status), nullptr);
  EXPECT_EQ(status, OTC_ERR_INVALID_PARAM);

  auto encoder = encoder_for(codec(), 0, 0);
  ASSERT_NE(encoder, nullptr);
  EncodedVideo out;
  otc_video_frame broken;  // a frame object with no planes
  EXPECT_EQ(encoder->encode(broken, false, out), OTC_ERR_INVALID_PARAM);
  PatternFrame f(64, 64, 0);
  f.frame.stride[0] = 10;  // below the row size
  EXPECT_EQ(encoder->encode(f.frame, false, out), OTC_ERR_INVALID_PARAM);
  f.frame.stride[0] = 64;
  f.frame.data[2] = nullptr;
  EXPECT_EQ(encoder->encode(f.frame, false, out), OTC_ERR_INVALID_PARAM);
  EXPECT_EQ(encoder->set_rates(5, 30), OTC_ERR_INVALID_PARAM);
  EXPECT_EQ(encoder->set_rates(500, 500), OTC_ERR_INVALID_PARAM);
  EXPECT_EQ(encoder->set_rates(500, 15), OTC_SUCCESS);
}

TEST_P(VideoCodec, NewRatesTakeEffectOnARunningEncoder) {
  auto encoder = encoder_for(codec(), 640, 360, 3000);
  ASSERT_NE(encoder, nullptr);
  // Each half starts with a keyframe, so the halves compare like with like.
  auto half = [&](int first) {
    std::size_t bytes = 0;
    for (int i = first; i < first + 30; ++i) {
      PatternFrame f(640, 360, i);
      EncodedVideo encoded;
      EXPECT_EQ(encoder->encode(f.frame, i == first, encoded), OTC_SUCCESS);
      bytes += encoded.bytes.size();
    }
    return bytes;
  };
  const std::size_t high = half(0);
  ASSERT_EQ(encoder->set_rates(150, 15), OTC_SUCCESS);
  const std::size_t low = half(30);
  std::printf("%s: 30 frames at 3000 kbit/s target: %zu bytes; at 150 kbit/s, 15 fps: %zu bytes\n", name().c_str(),
              high, low);
  // 30 frames at 15 fps are 2 s: 150 kbit/s budgets 37500 bytes. Rate control may overshoot on the
  // keyframe and while it adapts, not by 2x; the old 3000 kbit/s target would allow far more.
  const std::size_t budget = 150000 / 8 * 2;
  EXPECT_LE(low, 2 * budget);
  EXPECT_LT(low, high);
}

// Writes an H.264 RBSP bit by bit (with Exp-Golomb codes) for hand-made parameter sets.
class BitWriter {
 public:
  void bits(std::uint32_t value, int n) {
    for (int i = n - 1; i >= 0; --i) {
      bit((value >> i) & 1u);
    }
  }
  void ue(std::uint32_t value) {
    const std::uint64_t v = static_cast<std::uint64_t>(value) + 1;
    int len = 0;
    while ((v >> len) > 1) {
      ++len;
    }
    bits(0, len);
    for (int i = len; i >= 0; --i) {
      bit(static_cast<std::uint32_t>((v >> i) & 1u));
    }
  }
  // rbsp_trailing_bits, then the bytes (no 00 00 0x sequences occur in the SPS built below).
  std::vector<std::uint8_t> finish() {
    bit(1);
    while (count_ % 8 != 0) {
      bit(0);
    }
    return bytes_;
  }

 private:
  void bit(std::uint32_t b) {
    if (count_ % 8 == 0) {
      bytes_.push_back(0);
    }
    bytes_.back() |= static_cast<std::uint8_t>(b << (7 - count_ % 8));
    ++count_;
  }
  std::vector<std::uint8_t> bytes_;
  std::size_t count_ = 0;
};

// Start code + a baseline SPS announcing width_mbs x height_mbs macroblocks.
std::vector<std::uint8_t> baseline_sps(std::uint32_t width_mbs, std::uint32_t height_mbs) {
  BitWriter w;
  w.bits(66, 8);   // profile_idc: baseline
  w.bits(0xc0, 8); // constraint flags
  w.bits(40, 8);   // level_idc 4.0
  w.ue(0);         // seq_parameter_set_id
  w.ue(0);         // log2_max_frame_num_minus4
  w.ue(2);         // pic_order_cnt_type
  w.ue(1);         // max_num_ref_frames
  w.bits(0, 1);    // gaps_in_frame_num_value_allowed_flag
  w.ue(width_mbs - 1);
  w.ue(height_mbs - 1);
  w.bits(1, 1);    // frame_mbs_only_flag
  w.bits(1, 1);    // direct_8x8_inference_flag
  w.bits(0, 1);    // frame_cropping_flag
  w.bits(0, 1);    // vui_parameters_present_flag
  std::vector<std::uint8_t> nal = {0, 0, 0, 1, 0x67};
  const std::vector<std::uint8_t> rbsp = w.finish();
  nal.insert(nal.end(), rbsp.begin(), rbsp.end());
  return nal;
}

TEST(H264ParameterSets, SizeOfTheEncodersOwnSpsIsReadExactly) {
  auto encoder = encoder_for(OTC_CODEC_H264, 640, 360);
  ASSERT_NE(encoder, nullptr);
  PatternFrame f(640, 360, 0);
  EncodedVideo encoded;
  ASSERT_EQ(encoder->encode(f.frame, true, encoded), OTC_SUCCESS);
  // 360 rows are 23 macroblock rows: 368 coded, cropped to 360.
  EXPECT_TRUE(otc::media::h264_sps_sizes_within(encoded.bytes.data(), encoded.bytes.size(), 640, 368));
  EXPECT_FALSE(otc::media::h264_sps_sizes_within(encoded.bytes.data(), encoded.bytes.size(), 639, 368));
  EXPECT_FALSE(otc::media::h264_sps_sizes_within(encoded.bytes.data(), encoded.bytes.size(), 640, 367));
  const auto sps = baseline_sps(40, 23);
  EXPECT_TRUE(otc::media::h264_sps_sizes_within(sps.data(), sps.size(), 640, 368));
  EXPECT_FALSE(otc::media::h264_sps_sizes_within(sps.data(), sps.size(), 640, 367));
  // A truncated SPS does not parse: refused.
  EXPECT_FALSE(otc::media::h264_sps_sizes_within(sps.data(), 8, 8192, 8192));
}

TEST(H264ParameterSets, DecoderRefusesAnSpsBeyondTheMaximumBeforeDecoding) {
  auto decoder = decoder_for(OTC_CODEC_H264);
  ASSERT_NE(decoder, nullptr);
  // 1024 x 1024 macroblocks (16384 x 16384 pixels) in front of an IDR slice NAL.
  std::vector<std::uint8_t> unit = baseline_sps(1024, 1024);
  ASSERT_TRUE(otc::media::h264_sps_sizes_within(unit.data(), unit.size(), 16384, 16384)) << "refused for its size only";
  const std::uint8_t idr[] = {0, 0, 0, 1, 0x65, 0x88, 0x84, 0x00, 0x33, 0xff};
  unit.insert(unit.end(), std::begin(idr), std::end(idr));
  VideoFramePtr picture;
  EXPECT_EQ(decoder->decode(unit.data(), unit.size(), picture), OTC_FRAME_MALFORMED);
  EXPECT_EQ(picture, nullptr);
  // The largest allowed size passes the check (and then fails as the slice is junk).
  std::vector<std::uint8_t> max_unit = baseline_sps(512, 512);
  EXPECT_TRUE(otc::media::h264_sps_sizes_within(max_unit.data(), max_unit.size(), 8192, 8192));
  // The decoder still decodes a real stream afterwards.
  auto encoder = encoder_for(OTC_CODEC_H264, 320, 180);
  PatternFrame f(320, 180, 0);
  EncodedVideo encoded;
  ASSERT_EQ(encoder->encode(f.frame, true, encoded), OTC_SUCCESS);
  ASSERT_EQ(decoder->decode(encoded.bytes.data(), encoded.bytes.size(), picture), OTC_SUCCESS);
  ASSERT_NE(picture, nullptr);
  EXPECT_EQ(picture->width, 320);
}

INSTANTIATE_TEST_SUITE_P(Codecs, VideoCodec, ::testing::Values(OTC_CODEC_VP8, OTC_CODEC_VP9, OTC_CODEC_H264),
                         [](const ::testing::TestParamInfo<int>& param) { return std::string(otc_codec_name(param.param)); });

TEST(VideoCodecFactory, UnknownOrAudioCodecsAreNotVideoCodecs) {
  otc_status status = OTC_SUCCESS;
  EXPECT_EQ(otc::media::make_video_encoder(OTC_CODEC_OPUS, {}, &status), nullptr);
  EXPECT_EQ(status, OTC_ERR_NOT_SUPPORTED);
  EXPECT_EQ(otc::media::make_video_decoder(OTC_CODEC_NONE, &status), nullptr);
  EXPECT_EQ(status, OTC_ERR_NOT_SUPPORTED);
  EXPECT_EQ(otc::media::make_video_decoder(77, nullptr), nullptr);  // status may be NULL
  for (int codec : {OTC_CODEC_VP8, OTC_CODEC_VP9, OTC_CODEC_H264, OTC_CODEC_OPUS}) {
    EXPECT_TRUE(otc::media::codec_available(codec)) << codec;
    EXPECT_EQ(otc_codec_is_supported(codec), OTC_TRUE) << codec;
  }
}

}  // namespace
