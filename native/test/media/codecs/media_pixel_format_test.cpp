// Pixel formats: every format converted I420 -> format -> I420 through otc_video_frame_convert must
// equal, byte for byte, what libyuv's own functions give when called directly here; and the
// indirect paths (format -> format) must equal the same chain of libyuv calls.
#include <gtest/gtest.h>
#include <libyuv.h>
#include <otc/otc.h>

#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "test_pattern.hpp"

namespace {

struct FrameDeleter {
  void operator()(otc_video_frame* f) const { otc_video_frame_delete(f); }
};
using Frame = std::unique_ptr<otc_video_frame, FrameDeleter>;

// A picture as libyuv produces it: up to 3 tight planes.
struct Planes {
  std::vector<std::uint8_t> p[3];
  int stride[3] = {0, 0, 0};
};

using FromI420 = std::function<int(const otc_test::I420Image&, Planes&)>;
using ToI420 = std::function<int(const Planes&, int w, int h, otc_test::I420Image&)>;

struct Format {
  otc_video_frame_format format;
  const char* name;
  FromI420 from_i420;  // libyuv called directly
  ToI420 to_i420;
};

Planes alloc(int count, const int strides[], const int rows[]) {
  Planes out;
  for (int i = 0; i < count; ++i) {
    out.stride[i] = strides[i];
    out.p[i].assign(static_cast<std::size_t>(strides[i]) * rows[i], 0);
  }
  return out;
}

otc_test::I420Image blank_i420(int w, int h) {
  otc_test::I420Image img;
  img.width = w;
  img.height = h;
  img.y.assign(static_cast<std::size_t>(w) * h, 0);
  img.u.assign(static_cast<std::size_t>((w + 1) / 2) * ((h + 1) / 2), 0);
  img.v.assign(img.u.size(), 0);
  return img;
}

// Packed formats: one plane of bpp bytes a pixel (YUY2/UYVY: 4 bytes a pixel pair).
FromI420 packed_from(int bytes_per_row_factor, bool pairs,
                     int (*fn)(const uint8_t*, int, const uint8_t*, int, const uint8_t*, int, uint8_t*, int, int, int)) {
  return [=](const otc_test::I420Image& s, Planes& out) {
    const int stride = pairs ? 4 * ((s.width + 1) / 2) : bytes_per_row_factor * s.width;
    const int strides[1] = {stride};
    const int rows[1] = {s.height};
    out = alloc(1, strides, rows);
    return fn(s.y.data(), s.y_stride(), s.u.data(), s.uv_stride(), s.v.data(), s.uv_stride(), out.p[0].data(),
              stride, s.width, s.height);
  };
}

ToI420 packed_to(int (*fn)(const uint8_t*, int, uint8_t*, int, uint8_t*, int, uint8_t*, int, int, int)) {
  return [=](const Planes& in, int w, int h, otc_test::I420Image& out) {
    out = blank_i420(w, h);
    return fn(in.p[0].data(), in.stride[0], out.y.data(), out.y_stride(), out.u.data(), out.uv_stride(),
              out.v.data(), out.uv_stride(), w, h);
  };
}

FromI420 biplanar_from(int (*fn)(const uint8_t*, int, const uint8_t*, int, const uint8_t*, int, uint8_t*, int,
                                 uint8_t*, int, int, int)) {
  return [=](const otc_test::I420Image& s, Planes& out) {
    const int strides[2] = {s.width, 2 * ((s.width + 1) / 2)};
    const int rows[2] = {s.height, (s.height + 1) / 2};
    out = alloc(2, strides, rows);
    return fn(s.y.data(), s.y_stride(), s.u.data(), s.uv_stride(), s.v.data(), s.uv_stride(), out.p[0].data(),
              strides[0], out.p[1].data(), strides[1], s.width, s.height);
  };
}

ToI420 biplanar_to(int (*fn)(const uint8_t*, int, const uint8_t*, int, uint8_t*, int, uint8_t*, int, uint8_t*, int,
                             int, int)) {
  return [=](const Planes& in, int w, int h, otc_test::I420Image& out) {
    out = blank_i420(w, h);
    return fn(in.p[0].data(), in.stride[0], in.p[1].data(), in.stride[1], out.y.data(), out.y_stride(),
              out.u.data(), out.uv_stride(), out.v.data(), out.uv_stride(), w, h);
  };
}

std::vector<Format> formats() {
  return {
      {OTC_VIDEO_FRAME_FORMAT_NV12, "NV12", biplanar_from(libyuv::I420ToNV12), biplanar_to(libyuv::NV12ToI420)},
      {OTC_VIDEO_FRAME_FORMAT_NV21, "NV21", biplanar_from(libyuv::I420ToNV21), biplanar_to(libyuv::NV21ToI420)},
      {OTC_VIDEO_FRAME_FORMAT_YUY2, "YUY2", packed_from(0, true, libyuv::I420ToYUY2), packed_to(libyuv::YUY2ToI420)},
      {OTC_VIDEO_FRAME_FORMAT_UYVY, "UYVY", packed_from(0, true, libyuv::I420ToUYVY), packed_to(libyuv::UYVYToI420)},
      {OTC_VIDEO_FRAME_FORMAT_ARGB32, "ARGB32", packed_from(4, false, libyuv::I420ToARGB), packed_to(libyuv::ARGBToI420)},
      {OTC_VIDEO_FRAME_FORMAT_BGRA32, "BGRA32", packed_from(4, false, libyuv::I420ToBGRA), packed_to(libyuv::BGRAToI420)},
      {OTC_VIDEO_FRAME_FORMAT_ABGR32, "ABGR32", packed_from(4, false, libyuv::I420ToABGR), packed_to(libyuv::ABGRToI420)},
      {OTC_VIDEO_FRAME_FORMAT_RGBA32, "RGBA32", packed_from(4, false, libyuv::I420ToRGBA), packed_to(libyuv::RGBAToI420)},
      {OTC_VIDEO_FRAME_FORMAT_RGB24, "RGB24", packed_from(3, false, libyuv::I420ToRGB24), packed_to(libyuv::RGB24ToI420)},
  };
}

// The planes of `frame` equal `expected` row by row (over each plane's row bytes).
void expect_planes_equal(const otc_video_frame* frame, const Planes& expected, int plane_count,
                         const otc_video_frame_plane names[], const std::string& what) {
  for (int i = 0; i < plane_count; ++i) {
    const std::uint8_t* data = otc_video_frame_get_plane_binary_data(frame, names[i]);
    ASSERT_NE(data, nullptr) << what;
    const int stride = otc_video_frame_get_plane_stride(frame, names[i]);
    const int rows = otc_video_frame_get_plane_height(frame, names[i]);
    ASSERT_EQ(static_cast<std::size_t>(expected.stride[i]) * rows, expected.p[i].size()) << what;
    for (int r = 0; r < rows; ++r) {
      ASSERT_EQ(0, std::memcmp(data + static_cast<std::size_t>(r) * stride,
                               expected.p[i].data() + static_cast<std::size_t>(r) * expected.stride[i],
                               static_cast<std::size_t>(expected.stride[i])))
          << what << ": plane " << i << " row " << r;
    }
  }
}

Planes as_planes(const otc_test::I420Image& img) {
  Planes p;
  p.p[0] = img.y;
  p.p[1] = img.u;
  p.p[2] = img.v;
  p.stride[0] = img.y_stride();
  p.stride[1] = p.stride[2] = img.uv_stride();
  return p;
}

const otc_video_frame_plane kI420Planes[3] = {OTC_VIDEO_FRAME_PLANE_Y, OTC_VIDEO_FRAME_PLANE_U, OTC_VIDEO_FRAME_PLANE_V};

void plane_names(otc_video_frame_format f, otc_video_frame_plane out[3], int& count) {
  if (f == OTC_VIDEO_FRAME_FORMAT_NV12 || f == OTC_VIDEO_FRAME_FORMAT_NV21) {
    out[0] = OTC_VIDEO_FRAME_PLANE_Y;
    out[1] = f == OTC_VIDEO_FRAME_FORMAT_NV12 ? OTC_VIDEO_FRAME_PLANE_UV_INTERLEAVED : OTC_VIDEO_FRAME_PLANE_VU_INTERLEAVED;
    count = 2;
  } else {
    out[0] = OTC_VIDEO_FRAME_PLANE_PACKED;
    count = 1;
  }
}

class PixelFormat : public ::testing::TestWithParam<std::pair<int, int>> {};

TEST_P(PixelFormat, RoundTripThroughEveryFormatMatchesLibyuvByteForByte) {
  const auto [w, h] = GetParam();
  const otc_test::I420Image src = otc_test::make_test_pattern(w, h, 5);
  Frame i420(otc_video_frame_new_I420(w, h, src.y.data(), src.y_stride(), src.u.data(), src.uv_stride(),
                                      src.v.data(), src.uv_stride()));
  ASSERT_NE(i420, nullptr);
  for (const Format& f : formats()) {
    const std::string what = std::string(f.name) + " " + std::to_string(w) + "x" + std::to_string(h);
    Planes expected_packed;
    ASSERT_EQ(0, f.from_i420(src, expected_packed)) << what;
    Frame converted(otc_video_frame_convert(f.format, i420.get()));
    ASSERT_NE(converted, nullptr) << what;
    EXPECT_EQ(otc_video_frame_get_format(converted.get()), f.format);
    EXPECT_EQ(otc_video_frame_get_width(converted.get()), w);
    otc_video_frame_plane names[3];
    int count = 0;
    plane_names(f.format, names, count);
    EXPECT_EQ(otc_video_frame_get_number_of_planes(converted.get()), static_cast<size_t>(count));
    expect_planes_equal(converted.get(), expected_packed, count, names, what + " from I420");

    otc_test::I420Image expected_back;
    ASSERT_EQ(0, f.to_i420(expected_packed, w, h, expected_back)) << what;
    Frame back(otc_video_frame_convert(OTC_VIDEO_FRAME_FORMAT_YUV420P, converted.get()));
    ASSERT_NE(back, nullptr) << what;
    expect_planes_equal(back.get(), as_planes(expected_back), 3, kI420Planes, what + " to I420");
  }
}

// 640x360 as the codecs use it; 67x35 odd in both directions (chroma rounding, SIMD remainders).
INSTANTIATE_TEST_SUITE_P(Sizes, PixelFormat, ::testing::Values(std::make_pair(640, 360), std::make_pair(67, 35)));

TEST(PixelFormatChains, BetweenRgbFormatsGoesThroughArgbLikeLibyuv) {
  const int w = 33;
  const int h = 9;
  const otc_test::I420Image src = otc_test::make_test_pattern(w, h, 2);
  std::vector<std::uint8_t> bgra(static_cast<std::size_t>(w) * h * 4);
  ASSERT_EQ(0, libyuv::I420ToBGRA(src.y.data(), w, src.u.data(), src.uv_stride(), src.v.data(), src.uv_stride(),
                                  bgra.data(), w * 4, w, h));
  Frame f(otc_video_frame_new(OTC_VIDEO_FRAME_FORMAT_BGRA32, w, h, bgra.data()));
  ASSERT_NE(f, nullptr);
  Frame rgb24(otc_video_frame_convert(OTC_VIDEO_FRAME_FORMAT_RGB24, f.get()));
  ASSERT_NE(rgb24, nullptr);
  std::vector<std::uint8_t> argb(static_cast<std::size_t>(w) * h * 4);
  Planes expected;
  expected.stride[0] = w * 3;
  expected.p[0].resize(static_cast<std::size_t>(w) * h * 3);
  ASSERT_EQ(0, libyuv::BGRAToARGB(bgra.data(), w * 4, argb.data(), w * 4, w, h));
  ASSERT_EQ(0, libyuv::ARGBToRGB24(argb.data(), w * 4, expected.p[0].data(), w * 3, w, h));
  const otc_video_frame_plane packed[1] = {OTC_VIDEO_FRAME_PLANE_PACKED};
  expect_planes_equal(rgb24.get(), expected, 1, packed, "BGRA32 -> RGB24");
}

TEST(PixelFormatChains, BetweenYuvAndRgbGoesThroughI420LikeLibyuv) {
  const int w = 20;
  const int h = 10;
  const otc_test::I420Image src = otc_test::make_test_pattern(w, h, 3);
  std::vector<std::uint8_t> nv12(static_cast<std::size_t>(w) * h * 3 / 2);
  ASSERT_EQ(0, libyuv::I420ToNV12(src.y.data(), w, src.u.data(), w / 2, src.v.data(), w / 2, nv12.data(), w,
                                  nv12.data() + w * h, w, w, h));
  Frame f(otc_video_frame_new(OTC_VIDEO_FRAME_FORMAT_NV12, w, h, nv12.data()));
  ASSERT_NE(f, nullptr);
  Frame rgba(otc_video_frame_convert(OTC_VIDEO_FRAME_FORMAT_RGBA32, f.get()));
  ASSERT_NE(rgba, nullptr);
  otc_test::I420Image mid = blank_i420(w, h);
  ASSERT_EQ(0, libyuv::NV12ToI420(nv12.data(), w, nv12.data() + w * h, w, mid.y.data(), w, mid.u.data(), w / 2,
                                  mid.v.data(), w / 2, w, h));
  Planes expected;
  expected.stride[0] = w * 4;
  expected.p[0].resize(static_cast<std::size_t>(w) * h * 4);
  ASSERT_EQ(0, libyuv::I420ToRGBA(mid.y.data(), w, mid.u.data(), w / 2, mid.v.data(), w / 2, expected.p[0].data(),
                                  w * 4, w, h));
  const otc_video_frame_plane packed[1] = {OTC_VIDEO_FRAME_PLANE_PACKED};
  expect_planes_equal(rgba.get(), expected, 1, packed, "NV12 -> RGBA32");
}

TEST(PixelFormatChains, ConversionKeepsTheTimestamp) {
  const otc_test::I420Image src = otc_test::make_test_pattern(16, 16, 0);
  Frame f(otc_video_frame_new_I420(16, 16, src.y.data(), 16, src.u.data(), 8, src.v.data(), 8));
  ASSERT_NE(f, nullptr);
  otc_video_frame_set_timestamp(f.get(), 4242);
  Frame argb(otc_video_frame_convert(OTC_VIDEO_FRAME_FORMAT_ARGB32, f.get()));
  ASSERT_NE(argb, nullptr);
  EXPECT_EQ(otc_video_frame_get_timestamp(argb.get()), 4242);
}

}  // namespace
