// otc_video_frame through its C API: creation from planes and buffers, getters, ownership of the
// copy, and refusal of bad arguments (NULL, sizes, strides, formats) with NULL instead of a crash.
#include <gtest/gtest.h>
#include <otc/otc.h>

#include <climits>
#include <cstring>
#include <vector>

#include "test_pattern.hpp"

namespace {

struct FrameDeleter {
  void operator()(otc_video_frame* f) const { otc_video_frame_delete(f); }
};
using Frame = std::unique_ptr<otc_video_frame, FrameDeleter>;

Frame i420_frame(const otc_test::I420Image& img) {
  return Frame(otc_video_frame_new_I420(img.width, img.height, img.y.data(), img.y_stride(), img.u.data(),
                                        img.uv_stride(), img.v.data(), img.uv_stride()));
}

bool same_plane(const otc_video_frame* f, otc_video_frame_plane plane, const std::vector<std::uint8_t>& expected,
                int row_bytes, int rows, int expected_stride) {
  const std::uint8_t* data = otc_video_frame_get_plane_binary_data(f, plane);
  const int stride = otc_video_frame_get_plane_stride(f, plane);
  for (int r = 0; r < rows; ++r) {
    if (std::memcmp(data + static_cast<std::size_t>(r) * stride, expected.data() + static_cast<std::size_t>(r) * expected_stride,
                    static_cast<std::size_t>(row_bytes)) != 0) {
      return false;
    }
  }
  return true;
}

TEST(VideoFrame, I420FromPlanesIsADeepCopyWithItsGeometry) {
  auto img = otc_test::make_test_pattern(641, 361, 7);  // odd: chroma rounds up
  Frame f = i420_frame(img);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(otc_video_frame_get_format(f.get()), OTC_VIDEO_FRAME_FORMAT_YUV420P);
  EXPECT_EQ(otc_video_frame_get_width(f.get()), 641);
  EXPECT_EQ(otc_video_frame_get_height(f.get()), 361);
  EXPECT_EQ(otc_video_frame_get_number_of_planes(f.get()), 3u);
  EXPECT_EQ(otc_video_frame_is_packed(f.get()), OTC_FALSE);
  EXPECT_EQ(otc_video_frame_get_plane_width(f.get(), OTC_VIDEO_FRAME_PLANE_Y), 641);
  EXPECT_EQ(otc_video_frame_get_plane_height(f.get(), OTC_VIDEO_FRAME_PLANE_Y), 361);
  EXPECT_EQ(otc_video_frame_get_plane_width(f.get(), OTC_VIDEO_FRAME_PLANE_U), 321);
  EXPECT_EQ(otc_video_frame_get_plane_height(f.get(), OTC_VIDEO_FRAME_PLANE_V), 181);
  EXPECT_GE(otc_video_frame_get_plane_stride(f.get(), OTC_VIDEO_FRAME_PLANE_Y), 641);
  EXPECT_EQ(otc_video_frame_get_plane_size(f.get(), OTC_VIDEO_FRAME_PLANE_U),
            static_cast<size_t>(otc_video_frame_get_plane_stride(f.get(), OTC_VIDEO_FRAME_PLANE_U)) * 181u);
  // Planes a YUV420P frame does not have.
  EXPECT_EQ(otc_video_frame_get_plane_binary_data(f.get(), OTC_VIDEO_FRAME_PLANE_PACKED), nullptr);
  EXPECT_EQ(otc_video_frame_get_plane_size(f.get(), OTC_VIDEO_FRAME_PLANE_UV_INTERLEAVED), 0u);
  EXPECT_EQ(otc_video_frame_get_plane_binary_data(f.get(), static_cast<otc_video_frame_plane>(42)), nullptr);

  const std::vector<std::uint8_t> original_y = img.y;
  std::fill(img.y.begin(), img.y.end(), 0);  // the frame owns its own copy
  EXPECT_TRUE(same_plane(f.get(), OTC_VIDEO_FRAME_PLANE_Y, original_y, 641, 361, 641));
  EXPECT_TRUE(same_plane(f.get(), OTC_VIDEO_FRAME_PLANE_V, img.v, 321, 181, 321));
  EXPECT_EQ(otc_test::read_frame_counter(otc_video_frame_get_plane_binary_data(f.get(), OTC_VIDEO_FRAME_PLANE_Y),
                                         otc_video_frame_get_plane_stride(f.get(), OTC_VIDEO_FRAME_PLANE_Y), 641, 361),
            7);
}

TEST(VideoFrame, TimestampAndCopy) {
  Frame f = i420_frame(otc_test::make_test_pattern(64, 48, 1));
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(otc_video_frame_get_timestamp(f.get()), 0);
  otc_video_frame_set_timestamp(f.get(), 123456789);
  Frame copy(otc_video_frame_copy(f.get()));
  ASSERT_NE(copy, nullptr);
  EXPECT_EQ(otc_video_frame_get_timestamp(copy.get()), 123456789);
  EXPECT_NE(otc_video_frame_get_plane_binary_data(copy.get(), OTC_VIDEO_FRAME_PLANE_Y),
            otc_video_frame_get_plane_binary_data(f.get(), OTC_VIDEO_FRAME_PLANE_Y));
  for (auto plane : {OTC_VIDEO_FRAME_PLANE_Y, OTC_VIDEO_FRAME_PLANE_U, OTC_VIDEO_FRAME_PLANE_V}) {
    const int rows = otc_video_frame_get_plane_height(f.get(), plane);
    const int bytes = otc_video_frame_get_plane_width(f.get(), plane);
    for (int r = 0; r < rows; ++r) {
      ASSERT_EQ(0, std::memcmp(otc_video_frame_get_plane_binary_data(f.get(), plane) +
                                   r * otc_video_frame_get_plane_stride(f.get(), plane),
                               otc_video_frame_get_plane_binary_data(copy.get(), plane) +
                                   r * otc_video_frame_get_plane_stride(copy.get(), plane),
                               static_cast<size_t>(bytes)));
    }
  }
}

TEST(VideoFrame, NewFromContiguousBufferFollowsTheTightLayout) {
  // NV12 4x2: Y 8 bytes, then UV 2x1 pairs = 4 bytes.
  const std::uint8_t nv12[] = {1, 2, 3, 4, 5, 6, 7, 8, 10, 20, 30, 40};
  Frame f(otc_video_frame_new(OTC_VIDEO_FRAME_FORMAT_NV12, 4, 2, nv12));
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(otc_video_frame_get_number_of_planes(f.get()), 2u);
  EXPECT_EQ(otc_video_frame_get_plane_binary_data(f.get(), OTC_VIDEO_FRAME_PLANE_UV_INTERLEAVED)[1], 20);
  EXPECT_EQ(otc_video_frame_get_plane_binary_data(f.get(), OTC_VIDEO_FRAME_PLANE_Y)[
                otc_video_frame_get_plane_stride(f.get(), OTC_VIDEO_FRAME_PLANE_Y) + 3], 8);
  EXPECT_EQ(otc_video_frame_get_plane_width(f.get(), OTC_VIDEO_FRAME_PLANE_UV_INTERLEAVED), 2);
  EXPECT_EQ(otc_video_frame_get_plane_binary_data(f.get(), OTC_VIDEO_FRAME_PLANE_VU_INTERLEAVED), nullptr);

  // RGB24 3x1: one packed plane of 9 bytes.
  const std::uint8_t rgb[] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  Frame p(otc_video_frame_new(OTC_VIDEO_FRAME_FORMAT_RGB24, 3, 1, rgb));
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(otc_video_frame_is_packed(p.get()), OTC_TRUE);
  EXPECT_EQ(otc_video_frame_get_plane_binary_data(p.get(), OTC_VIDEO_FRAME_PLANE_PACKED)[8], 9);
  EXPECT_EQ(otc_video_frame_get_plane_binary_data(p.get(), OTC_VIDEO_FRAME_PLANE_Y), nullptr);

  // YUY2 3x1 (odd width): 2 macropixels = 8 bytes a row.
  const std::uint8_t yuy2[8] = {1, 2, 3, 4, 5, 6, 7, 8};
  Frame y(otc_video_frame_new(OTC_VIDEO_FRAME_FORMAT_YUY2, 3, 1, yuy2));
  ASSERT_NE(y, nullptr);
  EXPECT_EQ(otc_video_frame_get_plane_binary_data(y.get(), OTC_VIDEO_FRAME_PLANE_PACKED)[7], 8);
}

TEST(VideoFrame, NewFromPlanesTakesEachFormatsPlanes) {
  const std::uint8_t y[16] = {0};
  const std::uint8_t vu[8] = {9, 8, 7, 6, 5, 4, 3, 2};
  const std::uint8_t* planes[2] = {y, vu};
  const int strides[2] = {4, 4};
  Frame f(otc_video_frame_new_from_planes(OTC_VIDEO_FRAME_FORMAT_NV21, 4, 4, planes, strides));
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(otc_video_frame_get_plane_binary_data(f.get(), OTC_VIDEO_FRAME_PLANE_VU_INTERLEAVED)[0], 9);
  EXPECT_EQ(otc_video_frame_get_plane_height(f.get(), OTC_VIDEO_FRAME_PLANE_VU_INTERLEAVED), 2);
}

TEST(VideoFrame, BadArgumentsGiveNullNotACrash) {
  std::vector<std::uint8_t> buf(64 * 64 * 4, 0);
  const std::uint8_t* p = buf.data();
  // NULL planes, sizes out of range, strides below the row size, negative strides.
  EXPECT_EQ(otc_video_frame_new_I420(16, 16, nullptr, 16, p, 8, p, 8), nullptr);
  EXPECT_EQ(otc_video_frame_new_I420(16, 16, p, 16, p, 8, nullptr, 8), nullptr);
  EXPECT_EQ(otc_video_frame_new_I420(0, 16, p, 16, p, 8, p, 8), nullptr);
  EXPECT_EQ(otc_video_frame_new_I420(16, -2, p, 16, p, 8, p, 8), nullptr);
  EXPECT_EQ(otc_video_frame_new_I420(OTC_VIDEO_FRAME_MAX_DIMENSION + 1, 2, p, INT_MAX, p, INT_MAX, p, INT_MAX), nullptr);
  EXPECT_EQ(otc_video_frame_new_I420(INT_MAX, INT_MAX, p, INT_MAX, p, INT_MAX, p, INT_MAX), nullptr);
  EXPECT_EQ(otc_video_frame_new_I420(16, 16, p, 15, p, 8, p, 8), nullptr);
  EXPECT_EQ(otc_video_frame_new_I420(15, 15, p, 15, p, 7, p, 8), nullptr);  // chroma rounds up to 8
  EXPECT_EQ(otc_video_frame_new_I420(16, 16, p, -16, p, 8, p, 8), nullptr);
  // Unknown formats, MJPEG (not supported here) and NULL buffers.
  EXPECT_EQ(otc_video_frame_new(static_cast<otc_video_frame_format>(10), 8, 8, p), nullptr);
  EXPECT_EQ(otc_video_frame_new(OTC_VIDEO_FRAME_FORMAT_UNKNOWN, 8, 8, p), nullptr);
  EXPECT_EQ(otc_video_frame_new(static_cast<otc_video_frame_format>(255), 8, 8, p), nullptr);
  EXPECT_EQ(otc_video_frame_new(OTC_VIDEO_FRAME_FORMAT_ARGB32, 8, 8, nullptr), nullptr);
  EXPECT_EQ(otc_video_frame_new(OTC_VIDEO_FRAME_FORMAT_ARGB32, 8193, 1, p), nullptr);
  // new_from_planes: NULL arrays, a NULL second plane, a packed stride too small.
  const std::uint8_t* planes[3] = {p, nullptr, p};
  const int strides[3] = {16, 8, 8};
  EXPECT_EQ(otc_video_frame_new_from_planes(OTC_VIDEO_FRAME_FORMAT_YUV420P, 16, 16, nullptr, strides), nullptr);
  EXPECT_EQ(otc_video_frame_new_from_planes(OTC_VIDEO_FRAME_FORMAT_YUV420P, 16, 16, planes, nullptr), nullptr);
  EXPECT_EQ(otc_video_frame_new_from_planes(OTC_VIDEO_FRAME_FORMAT_YUV420P, 16, 16, planes, strides), nullptr);
  const int packed_stride[1] = {63};
  EXPECT_EQ(otc_video_frame_new_from_planes(OTC_VIDEO_FRAME_FORMAT_ARGB32, 16, 16, &p, packed_stride), nullptr);
  // NULL frames everywhere.
  EXPECT_EQ(otc_video_frame_delete(nullptr), OTC_SUCCESS);  // the destructor convention (otc.h)
  EXPECT_EQ(otc_video_frame_copy(nullptr), nullptr);
  EXPECT_EQ(otc_video_frame_convert(OTC_VIDEO_FRAME_FORMAT_ARGB32, nullptr), nullptr);
  EXPECT_EQ(otc_video_frame_get_format(nullptr), OTC_VIDEO_FRAME_FORMAT_UNKNOWN);
  EXPECT_EQ(otc_video_frame_get_width(nullptr), 0);
  EXPECT_EQ(otc_video_frame_get_number_of_planes(nullptr), 0u);
  EXPECT_EQ(otc_video_frame_get_plane_binary_data(nullptr, OTC_VIDEO_FRAME_PLANE_Y), nullptr);
  EXPECT_EQ(otc_video_frame_get_plane_stride(nullptr, OTC_VIDEO_FRAME_PLANE_Y), 0);
  EXPECT_EQ(otc_video_frame_is_packed(nullptr), OTC_FALSE);
  otc_video_frame_set_timestamp(nullptr, 1);  // no effect, no crash
}

TEST(VideoFrame, LargestFrameIsAccepted) {
  const int side = OTC_VIDEO_FRAME_MAX_DIMENSION;
  std::vector<std::uint8_t> y(static_cast<std::size_t>(side) * 2, 1);
  Frame f(otc_video_frame_new_I420(side, 2, y.data(), side, y.data(), side / 2, y.data(), side / 2));
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(otc_video_frame_get_width(f.get()), side);
}

TEST(VideoFrame, ConvertWorksExactlyWhenTheBuildHasMedia) {
  Frame f = i420_frame(otc_test::make_test_pattern(32, 16, 0));
  ASSERT_NE(f, nullptr);
  Frame argb(otc_video_frame_convert(OTC_VIDEO_FRAME_FORMAT_ARGB32, f.get()));
  EXPECT_EQ(argb != nullptr, otc_codec_is_supported(OTC_CODEC_VP8) == OTC_TRUE);
  // Same format: a copy, in any build. An unknown target format: NULL.
  Frame same(otc_video_frame_convert(OTC_VIDEO_FRAME_FORMAT_YUV420P, f.get()));
  EXPECT_NE(same, nullptr);
  EXPECT_EQ(otc_video_frame_convert(static_cast<otc_video_frame_format>(10), f.get()), nullptr);
}

TEST(VideoFrame, CodecSupportIsReportedPerCodec) {
  const otc_bool media = otc_codec_is_supported(OTC_CODEC_VP8);
  EXPECT_EQ(otc_codec_is_supported(OTC_CODEC_VP9), media);
  EXPECT_EQ(otc_codec_is_supported(OTC_CODEC_H264), media);
  EXPECT_EQ(otc_codec_is_supported(OTC_CODEC_OPUS), media);
  EXPECT_EQ(otc_codec_is_supported(OTC_CODEC_NONE), OTC_FALSE);
  EXPECT_EQ(otc_codec_is_supported(99), OTC_FALSE);
  EXPECT_EQ(otc_codec_is_supported(-1), OTC_FALSE);
#ifdef OTC_WITH_MEDIA
  EXPECT_EQ(media, OTC_TRUE);
#else
  EXPECT_EQ(media, OTC_FALSE);
#endif
}

}  // namespace
