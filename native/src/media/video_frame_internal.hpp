// The otc_video_frame object behind the C API (include/otc/video_frame.h) and the C++ helpers the
// codecs and the session pipeline use to make, view, copy and convert frames without going
// through NULL-returning C calls (these return an otc_status saying what was wrong).
#ifndef OTC_SRC_MEDIA_VIDEO_FRAME_INTERNAL_HPP
#define OTC_SRC_MEDIA_VIDEO_FRAME_INTERNAL_HPP

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>

#include "otc/errors.h"
#include "otc/video_frame.h"

// One frame: up to three planes. `storage` holds the pixels when the frame owns them; a view
// (storage empty) points at memory its creator keeps alive for as long as the view is used.
struct otc_video_frame {
  otc_video_frame_format format = OTC_VIDEO_FRAME_FORMAT_UNKNOWN;
  int width = 0;
  int height = 0;
  std::int64_t timestamp_us = 0;
  int plane_count = 0;
  std::array<const std::uint8_t*, 3> data{};
  std::array<int, 3> stride{};
  std::unique_ptr<std::uint8_t[]> storage;
};

namespace otc::media {

using VideoFramePtr = std::unique_ptr<otc_video_frame>;

// Geometry of one plane (index 0..plane_count-1) of a format at a size: row bytes and rows.
struct PlaneShape {
  int row_bytes = 0;
  int rows = 0;
};

// Number of planes of a format, 0 for an unknown/unsupported one.
int plane_count(otc_video_frame_format format);
// Shape of plane `index` of `format` at width x height (sizes assumed already validated).
PlaneShape plane_shape(otc_video_frame_format format, int width, int height, int index);
// Whether width/height are within 1..OTC_VIDEO_FRAME_MAX_DIMENSION.
bool valid_dimensions(int width, int height);

// A non-owning frame over caller memory, after checking format, size, non-NULL planes and strides
// (OTC_ERR_INVALID_PARAM otherwise). `out` must not outlive the memory.
otc_status make_view(otc_video_frame_format format, int width, int height,
                     const std::uint8_t* const* planes, const int* strides, otc_video_frame& out);

// A frame owning a copy of `src` (any frame, view or owned), tightly packed with 32-byte aligned rows.
otc_status copy_frame(const otc_video_frame& src, VideoFramePtr& out);

// An owned frame of `format` with uninitialised pixels and tight strides (for decoders, converters).
otc_status allocate_frame(otc_video_frame_format format, int width, int height, VideoFramePtr& out);

// `src` converted to `format` (libyuv); a copy when the format is the same.
// OTC_ERR_NOT_SUPPORTED in a build without media support.
otc_status convert_frame(const otc_video_frame& src, otc_video_frame_format format, VideoFramePtr& out);

// `src` (YUV420P) scaled to width x height into an owned YUV420P frame (libyuv, bilinear).
otc_status scale_i420(const otc_video_frame& src, int width, int height, VideoFramePtr& out);

}  // namespace otc::media

#endif
