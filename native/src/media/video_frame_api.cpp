// The C API of include/otc/video_frame.h over the helpers of video_frame_internal.hpp.
#include "c_api_guard.hpp"
#include "video_frame_internal.hpp"

namespace {

using otc::media::VideoFramePtr;

// Index 0..2 into a frame's planes for an OpenTok plane name, -1 when the frame has no such plane.
int plane_index(const otc_video_frame* frame, otc_video_frame_plane plane) {
  if (frame == nullptr) {
    return -1;
  }
  switch (frame->format) {
    case OTC_VIDEO_FRAME_FORMAT_YUV420P:
      return plane == OTC_VIDEO_FRAME_PLANE_Y ? 0 : plane == OTC_VIDEO_FRAME_PLANE_U ? 1
                                                  : plane == OTC_VIDEO_FRAME_PLANE_V ? 2 : -1;
    case OTC_VIDEO_FRAME_FORMAT_NV12:
      return plane == OTC_VIDEO_FRAME_PLANE_Y ? 0 : plane == OTC_VIDEO_FRAME_PLANE_UV_INTERLEAVED ? 1 : -1;
    case OTC_VIDEO_FRAME_FORMAT_NV21:
      return plane == OTC_VIDEO_FRAME_PLANE_Y ? 0 : plane == OTC_VIDEO_FRAME_PLANE_VU_INTERLEAVED ? 1 : -1;
    default:
      return frame->plane_count == 1 && plane == OTC_VIDEO_FRAME_PLANE_PACKED ? 0 : -1;
  }
}

// A view over the caller's planes, then an owned copy of it: the one path every constructor takes.
otc_video_frame* copy_of_planes(otc_video_frame_format format, int width, int height,
                                const std::uint8_t* const* planes, const int* strides) {
  return otc::guarded_or<otc_video_frame*>(nullptr, [&]() -> otc_video_frame* {
    otc_video_frame view;
    if (otc::media::make_view(format, width, height, planes, strides, view) != OTC_SUCCESS) {
      return nullptr;
    }
    VideoFramePtr copy;
    if (otc::media::copy_frame(view, copy) != OTC_SUCCESS) {
      return nullptr;
    }
    return copy.release();
  });
}

}  // namespace

extern "C" otc_video_frame* otc_video_frame_new(otc_video_frame_format format, int width, int height,
                                                const uint8_t* buffer) {
  const int count = otc::media::plane_count(format);
  if (buffer == nullptr || count == 0 || !otc::media::valid_dimensions(width, height)) {
    return nullptr;
  }
  // Consecutive planes with the tightest strides (the header's layout).
  const std::uint8_t* planes[3] = {};
  int strides[3] = {};
  std::size_t offset = 0;
  for (int i = 0; i < count; ++i) {
    const otc::media::PlaneShape shape = otc::media::plane_shape(format, width, height, i);
    planes[i] = buffer + offset;
    strides[i] = shape.row_bytes;
    offset += static_cast<std::size_t>(shape.row_bytes) * static_cast<std::size_t>(shape.rows);
  }
  return copy_of_planes(format, width, height, planes, strides);
}

extern "C" otc_video_frame* otc_video_frame_new_I420(int width, int height, const uint8_t* y_plane,
                                                     int y_stride, const uint8_t* u_plane, int u_stride,
                                                     const uint8_t* v_plane, int v_stride) {
  const std::uint8_t* planes[3] = {y_plane, u_plane, v_plane};
  const int strides[3] = {y_stride, u_stride, v_stride};
  return copy_of_planes(OTC_VIDEO_FRAME_FORMAT_YUV420P, width, height, planes, strides);
}

extern "C" otc_video_frame* otc_video_frame_new_from_planes(otc_video_frame_format format, int width,
                                                            int height, const uint8_t** planes,
                                                            const int* strides) {
  return copy_of_planes(format, width, height, planes, strides);
}

extern "C" otc_status otc_video_frame_delete(otc_video_frame* frame) {
  delete frame;  // NULL: a no-op, as for every *_delete (otc.h)
  return OTC_SUCCESS;
}

extern "C" otc_video_frame* otc_video_frame_copy(const otc_video_frame* frame) {
  if (frame == nullptr) {
    return nullptr;
  }
  return otc::guarded_or<otc_video_frame*>(nullptr, [&]() -> otc_video_frame* {
    VideoFramePtr copy;
    return otc::media::copy_frame(*frame, copy) == OTC_SUCCESS ? copy.release() : nullptr;
  });
}

extern "C" otc_video_frame* otc_video_frame_convert(otc_video_frame_format format,
                                                    const otc_video_frame* frame) {
  if (frame == nullptr) {
    return nullptr;
  }
  return otc::guarded_or<otc_video_frame*>(nullptr, [&]() -> otc_video_frame* {
    VideoFramePtr converted;
    return otc::media::convert_frame(*frame, format, converted) == OTC_SUCCESS ? converted.release()
                                                                              : nullptr;
  });
}

extern "C" otc_video_frame_format otc_video_frame_get_format(const otc_video_frame* frame) {
  return frame != nullptr ? frame->format : OTC_VIDEO_FRAME_FORMAT_UNKNOWN;
}

extern "C" int otc_video_frame_get_width(const otc_video_frame* frame) {
  return frame != nullptr ? frame->width : 0;
}

extern "C" int otc_video_frame_get_height(const otc_video_frame* frame) {
  return frame != nullptr ? frame->height : 0;
}

extern "C" int64_t otc_video_frame_get_timestamp(const otc_video_frame* frame) {
  return frame != nullptr ? frame->timestamp_us : 0;
}

extern "C" void otc_video_frame_set_timestamp(otc_video_frame* frame, int64_t timestamp) {
  if (frame != nullptr) {
    frame->timestamp_us = timestamp;
  }
}

extern "C" size_t otc_video_frame_get_number_of_planes(const otc_video_frame* frame) {
  return frame != nullptr ? static_cast<size_t>(frame->plane_count) : 0;
}

extern "C" otc_bool otc_video_frame_is_packed(const otc_video_frame* frame) {
  return frame != nullptr && frame->plane_count == 1 ? OTC_TRUE : OTC_FALSE;
}

extern "C" const uint8_t* otc_video_frame_get_plane_binary_data(const otc_video_frame* frame,
                                                                otc_video_frame_plane plane) {
  const int i = plane_index(frame, plane);
  return i < 0 ? nullptr : frame->data[i];
}

extern "C" size_t otc_video_frame_get_plane_size(const otc_video_frame* frame, otc_video_frame_plane plane) {
  const int i = plane_index(frame, plane);
  if (i < 0) {
    return 0;
  }
  const otc::media::PlaneShape shape = otc::media::plane_shape(frame->format, frame->width, frame->height, i);
  return static_cast<size_t>(frame->stride[i]) * static_cast<size_t>(shape.rows);
}

extern "C" int otc_video_frame_get_plane_stride(const otc_video_frame* frame, otc_video_frame_plane plane) {
  const int i = plane_index(frame, plane);
  return i < 0 ? 0 : frame->stride[i];
}

extern "C" int otc_video_frame_get_plane_width(const otc_video_frame* frame, otc_video_frame_plane plane) {
  const int i = plane_index(frame, plane);
  if (i < 0) {
    return 0;
  }
  if (frame->plane_count == 1 || i == 0) {
    return frame->width;
  }
  return (frame->width + 1) / 2;  // U, V, or the U/V pairs of NV12/NV21
}

extern "C" int otc_video_frame_get_plane_height(const otc_video_frame* frame, otc_video_frame_plane plane) {
  const int i = plane_index(frame, plane);
  if (i < 0) {
    return 0;
  }
  return otc::media::plane_shape(frame->format, frame->width, frame->height, i).rows;
}
