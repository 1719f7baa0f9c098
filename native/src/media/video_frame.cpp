// Frame geometry, validation, views, copies and allocation: what every build has (no libyuv).
#include <cstring>
#include <limits>
#include <new>

#include "video_frame_internal.hpp"

namespace otc::media {
namespace {

// Rows of owned frames start 32-byte aligned: the SIMD paths of libyuv and the codecs prefer it.
constexpr int kRowAlign = 32;

int half_up(int v) { return (v + 1) / 2; }

int bytes_per_pixel(otc_video_frame_format format) {
  switch (format) {
    case OTC_VIDEO_FRAME_FORMAT_ARGB32:
    case OTC_VIDEO_FRAME_FORMAT_BGRA32:
    case OTC_VIDEO_FRAME_FORMAT_ABGR32:
    case OTC_VIDEO_FRAME_FORMAT_RGBA32:
      return 4;
    case OTC_VIDEO_FRAME_FORMAT_RGB24:
      return 3;
    default:
      return 0;
  }
}

int align_up(int v) { return (v + kRowAlign - 1) / kRowAlign * kRowAlign; }

}  // namespace

int plane_count(otc_video_frame_format format) {
  switch (format) {
    case OTC_VIDEO_FRAME_FORMAT_YUV420P:
      return 3;
    case OTC_VIDEO_FRAME_FORMAT_NV12:
    case OTC_VIDEO_FRAME_FORMAT_NV21:
      return 2;
    case OTC_VIDEO_FRAME_FORMAT_YUY2:
    case OTC_VIDEO_FRAME_FORMAT_UYVY:
    case OTC_VIDEO_FRAME_FORMAT_ARGB32:
    case OTC_VIDEO_FRAME_FORMAT_BGRA32:
    case OTC_VIDEO_FRAME_FORMAT_RGB24:
    case OTC_VIDEO_FRAME_FORMAT_ABGR32:
    case OTC_VIDEO_FRAME_FORMAT_RGBA32:
      return 1;
    default:
      return 0;
  }
}

PlaneShape plane_shape(otc_video_frame_format format, int width, int height, int index) {
  switch (format) {
    case OTC_VIDEO_FRAME_FORMAT_YUV420P:
      return index == 0 ? PlaneShape{width, height} : PlaneShape{half_up(width), half_up(height)};
    case OTC_VIDEO_FRAME_FORMAT_NV12:
    case OTC_VIDEO_FRAME_FORMAT_NV21:
      return index == 0 ? PlaneShape{width, height} : PlaneShape{2 * half_up(width), half_up(height)};
    case OTC_VIDEO_FRAME_FORMAT_YUY2:
    case OTC_VIDEO_FRAME_FORMAT_UYVY:
      return PlaneShape{4 * half_up(width), height};  // a macropixel of 4 bytes per 2 pixels
    default:
      return PlaneShape{bytes_per_pixel(format) * width, height};
  }
}

bool valid_dimensions(int width, int height) {
  return width >= 1 && height >= 1 && width <= OTC_VIDEO_FRAME_MAX_DIMENSION &&
         height <= OTC_VIDEO_FRAME_MAX_DIMENSION;
}

otc_status make_view(otc_video_frame_format format, int width, int height,
                     const std::uint8_t* const* planes, const int* strides, otc_video_frame& out) {
  const int count = plane_count(format);
  if (count == 0 || !valid_dimensions(width, height) || planes == nullptr || strides == nullptr) {
    return OTC_ERR_INVALID_PARAM;
  }
  for (int i = 0; i < count; ++i) {
    const PlaneShape shape = plane_shape(format, width, height, i);
    if (planes[i] == nullptr || strides[i] < shape.row_bytes) {
      return OTC_ERR_INVALID_PARAM;
    }
  }
  out.format = format;
  out.width = width;
  out.height = height;
  out.timestamp_us = 0;
  out.plane_count = count;
  out.data = {};
  out.stride = {};
  for (int i = 0; i < count; ++i) {
    out.data[i] = planes[i];
    out.stride[i] = strides[i];
  }
  out.storage.reset();
  return OTC_SUCCESS;
}

otc_status allocate_frame(otc_video_frame_format format, int width, int height, VideoFramePtr& out) {
  const int count = plane_count(format);
  if (count == 0 || !valid_dimensions(width, height)) {
    return OTC_ERR_INVALID_PARAM;
  }
  // At most 4 * 8192 (+ alignment) bytes a row and 8192 rows: fits size_t everywhere.
  std::array<std::size_t, 3> offset{};
  std::size_t total = 0;
  std::array<int, 3> stride{};
  for (int i = 0; i < count; ++i) {
    const PlaneShape shape = plane_shape(format, width, height, i);
    stride[i] = align_up(shape.row_bytes);
    offset[i] = total;
    total += static_cast<std::size_t>(stride[i]) * static_cast<std::size_t>(shape.rows);
  }
  auto frame = std::make_unique<otc_video_frame>();
  // new[] of uint8_t is aligned to __STDCPP_DEFAULT_NEW_ALIGNMENT__ (16); rows start at multiples
  // of 32 from there, which is what the SIMD code needs (it has unaligned paths for the rest).
  frame->storage.reset(new std::uint8_t[total]);
  frame->format = format;
  frame->width = width;
  frame->height = height;
  frame->plane_count = count;
  for (int i = 0; i < count; ++i) {
    frame->data[i] = frame->storage.get() + offset[i];
    frame->stride[i] = stride[i];
  }
  out = std::move(frame);
  return OTC_SUCCESS;
}

otc_status copy_frame(const otc_video_frame& src, VideoFramePtr& out) {
  VideoFramePtr copy;
  const otc_status status = allocate_frame(src.format, src.width, src.height, copy);
  if (status != OTC_SUCCESS) {
    return status;
  }
  for (int i = 0; i < src.plane_count; ++i) {
    const PlaneShape shape = plane_shape(src.format, src.width, src.height, i);
    auto* dst = const_cast<std::uint8_t*>(copy->data[i]);  // our own fresh storage
    for (int row = 0; row < shape.rows; ++row) {
      std::memcpy(dst + static_cast<std::size_t>(row) * copy->stride[i],
                  src.data[i] + static_cast<std::size_t>(row) * src.stride[i],
                  static_cast<std::size_t>(shape.row_bytes));
    }
  }
  copy->timestamp_us = src.timestamp_us;
  out = std::move(copy);
  return OTC_SUCCESS;
}

}  // namespace otc::media
