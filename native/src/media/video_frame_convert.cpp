// Pixel-format conversion and scaling through libyuv (media builds only). Every format converts
// directly to and from YUV420P; packed RGB formats convert among themselves through ARGB32, and
// any other pair goes through YUV420P.
#include <libyuv.h>

#include "video_frame_internal.hpp"

namespace otc::media {
namespace {

std::uint8_t* writable(const otc_video_frame& f, int i) {
  return const_cast<std::uint8_t*>(f.data[i]);  // only ever called on frames we just allocated
}

// libyuv's converters of a single-plane (packed) format, by their shape. libyuv returns 0 on success.
using PackedToI420 = int (*)(const std::uint8_t*, int, std::uint8_t*, int, std::uint8_t*, int, std::uint8_t*, int,
                             int, int);
using I420ToPacked = int (*)(const std::uint8_t*, int, const std::uint8_t*, int, const std::uint8_t*, int,
                             std::uint8_t*, int, int, int);
using PackedToPacked = int (*)(const std::uint8_t*, int, std::uint8_t*, int, int, int);

// One row per packed format: to and from YUV420P, and for RGB formats to and from ARGB32 (the hub
// of RGB-to-RGB conversions; ARGB32's own row has none).
struct PackedFormat {
  otc_video_frame_format format;
  PackedToI420 to_i420;
  I420ToPacked from_i420;
  bool rgb;
  PackedToPacked to_argb;
  PackedToPacked from_argb;
};

constexpr PackedFormat kPackedFormats[] = {
    {OTC_VIDEO_FRAME_FORMAT_YUY2, libyuv::YUY2ToI420, libyuv::I420ToYUY2, false, nullptr, nullptr},
    {OTC_VIDEO_FRAME_FORMAT_UYVY, libyuv::UYVYToI420, libyuv::I420ToUYVY, false, nullptr, nullptr},
    {OTC_VIDEO_FRAME_FORMAT_ARGB32, libyuv::ARGBToI420, libyuv::I420ToARGB, true, nullptr, nullptr},
    {OTC_VIDEO_FRAME_FORMAT_BGRA32, libyuv::BGRAToI420, libyuv::I420ToBGRA, true, libyuv::BGRAToARGB,
     libyuv::ARGBToBGRA},
    {OTC_VIDEO_FRAME_FORMAT_ABGR32, libyuv::ABGRToI420, libyuv::I420ToABGR, true, libyuv::ABGRToARGB,
     libyuv::ARGBToABGR},
    {OTC_VIDEO_FRAME_FORMAT_RGBA32, libyuv::RGBAToI420, libyuv::I420ToRGBA, true, libyuv::RGBAToARGB,
     libyuv::ARGBToRGBA},
    {OTC_VIDEO_FRAME_FORMAT_RGB24, libyuv::RGB24ToI420, libyuv::I420ToRGB24, true, libyuv::RGB24ToARGB,
     libyuv::ARGBToRGB24},
};

const PackedFormat* packed(otc_video_frame_format f) {
  for (const PackedFormat& p : kPackedFormats) {
    if (p.format == f) {
      return &p;
    }
  }
  return nullptr;
}

bool is_rgb(otc_video_frame_format f) {
  const PackedFormat* p = packed(f);
  return p != nullptr && p->rgb;
}

// src (any supported format) -> dst (YUV420P, same size).
int to_i420(const otc_video_frame& s, const otc_video_frame& d) {
  const int w = s.width;
  const int h = s.height;
  std::uint8_t* y = writable(d, 0);
  std::uint8_t* u = writable(d, 1);
  std::uint8_t* v = writable(d, 2);
  const int ys = d.stride[0], us = d.stride[1], vs = d.stride[2];
  switch (s.format) {
    case OTC_VIDEO_FRAME_FORMAT_YUV420P:
      return libyuv::I420Copy(s.data[0], s.stride[0], s.data[1], s.stride[1], s.data[2], s.stride[2],
                              y, ys, u, us, v, vs, w, h);
    case OTC_VIDEO_FRAME_FORMAT_NV12:
      return libyuv::NV12ToI420(s.data[0], s.stride[0], s.data[1], s.stride[1], y, ys, u, us, v, vs, w, h);
    case OTC_VIDEO_FRAME_FORMAT_NV21:
      return libyuv::NV21ToI420(s.data[0], s.stride[0], s.data[1], s.stride[1], y, ys, u, us, v, vs, w, h);
    default: {
      const PackedFormat* p = packed(s.format);
      return p != nullptr ? p->to_i420(s.data[0], s.stride[0], y, ys, u, us, v, vs, w, h) : -1;
    }
  }
}

// src (YUV420P) -> dst (any supported format, same size).
int from_i420(const otc_video_frame& s, const otc_video_frame& d) {
  const int w = s.width;
  const int h = s.height;
  const std::uint8_t* y = s.data[0];
  const std::uint8_t* u = s.data[1];
  const std::uint8_t* v = s.data[2];
  const int ys = s.stride[0], us = s.stride[1], vs = s.stride[2];
  std::uint8_t* o = writable(d, 0);
  const int os = d.stride[0];
  switch (d.format) {
    case OTC_VIDEO_FRAME_FORMAT_YUV420P:
      return libyuv::I420Copy(y, ys, u, us, v, vs, o, os, writable(d, 1), d.stride[1], writable(d, 2),
                              d.stride[2], w, h);
    case OTC_VIDEO_FRAME_FORMAT_NV12:
      return libyuv::I420ToNV12(y, ys, u, us, v, vs, o, os, writable(d, 1), d.stride[1], w, h);
    case OTC_VIDEO_FRAME_FORMAT_NV21:
      return libyuv::I420ToNV21(y, ys, u, us, v, vs, o, os, writable(d, 1), d.stride[1], w, h);
    default: {
      const PackedFormat* p = packed(d.format);
      return p != nullptr ? p->from_i420(y, ys, u, us, v, vs, o, os, w, h) : -1;
    }
  }
}

// Packed RGB src -> ARGB32 dst.
int rgb_to_argb(const otc_video_frame& s, const otc_video_frame& d) {
  const PackedFormat* p = packed(s.format);
  return p != nullptr && p->to_argb != nullptr
             ? p->to_argb(s.data[0], s.stride[0], writable(d, 0), d.stride[0], s.width, s.height)
             : -1;
}

// ARGB32 src -> packed RGB dst.
int argb_to_rgb(const otc_video_frame& s, const otc_video_frame& d) {
  const PackedFormat* p = packed(d.format);
  return p != nullptr && p->from_argb != nullptr
             ? p->from_argb(s.data[0], s.stride[0], writable(d, 0), d.stride[0], s.width, s.height)
             : -1;
}

using Step = int (*)(const otc_video_frame&, const otc_video_frame&);

// One conversion step src -> a new frame of `format`.
otc_status run_step(Step step, const otc_video_frame& src, otc_video_frame_format format, VideoFramePtr& out) {
  VideoFramePtr dst;
  const otc_status status = allocate_frame(format, src.width, src.height, dst);
  if (status != OTC_SUCCESS) {
    return status;
  }
  if (step(src, *dst) != 0) {
    return OTC_ERR_FATAL;
  }
  dst->timestamp_us = src.timestamp_us;
  out = std::move(dst);
  return OTC_SUCCESS;
}

}  // namespace

otc_status convert_frame(const otc_video_frame& src, otc_video_frame_format format, VideoFramePtr& out) {
  if (plane_count(format) == 0 || plane_count(src.format) == 0 || !valid_dimensions(src.width, src.height)) {
    return OTC_ERR_INVALID_PARAM;
  }
  if (format == src.format) {
    return copy_frame(src, out);
  }
  if (format == OTC_VIDEO_FRAME_FORMAT_YUV420P) {
    return run_step(to_i420, src, format, out);
  }
  if (src.format == OTC_VIDEO_FRAME_FORMAT_YUV420P) {
    return run_step(from_i420, src, format, out);
  }
  if (is_rgb(src.format) && is_rgb(format)) {
    if (src.format == OTC_VIDEO_FRAME_FORMAT_ARGB32) {
      return run_step(argb_to_rgb, src, format, out);
    }
    if (format == OTC_VIDEO_FRAME_FORMAT_ARGB32) {
      return run_step(rgb_to_argb, src, format, out);
    }
    VideoFramePtr argb;
    const otc_status status = run_step(rgb_to_argb, src, OTC_VIDEO_FRAME_FORMAT_ARGB32, argb);
    return status != OTC_SUCCESS ? status : run_step(argb_to_rgb, *argb, format, out);
  }
  VideoFramePtr i420;
  const otc_status status = run_step(to_i420, src, OTC_VIDEO_FRAME_FORMAT_YUV420P, i420);
  return status != OTC_SUCCESS ? status : run_step(from_i420, *i420, format, out);
}

otc_status scale_i420(const otc_video_frame& src, int width, int height, VideoFramePtr& out) {
  if (src.format != OTC_VIDEO_FRAME_FORMAT_YUV420P || !valid_dimensions(src.width, src.height)) {
    return OTC_ERR_INVALID_PARAM;
  }
  VideoFramePtr dst;
  const otc_status status = allocate_frame(OTC_VIDEO_FRAME_FORMAT_YUV420P, width, height, dst);
  if (status != OTC_SUCCESS) {
    return status;
  }
  if (libyuv::I420Scale(src.data[0], src.stride[0], src.data[1], src.stride[1], src.data[2], src.stride[2],
                        src.width, src.height, writable(*dst, 0), dst->stride[0], writable(*dst, 1),
                        dst->stride[1], writable(*dst, 2), dst->stride[2], width, height,
                        libyuv::kFilterBilinear) != 0) {
    return OTC_ERR_FATAL;
  }
  dst->timestamp_us = src.timestamp_us;
  out = std::move(dst);
  return OTC_SUCCESS;
}

}  // namespace otc::media
