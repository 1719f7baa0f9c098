/*
 * Raw (uncompressed) video frames, in the shape of the OpenTok Linux SDK's otc_video_frame: the
 * same type, enum and function names and the same numbers for the formats and planes, so code
 * written for that SDK compiles against this one. Only what this library implements is declared.
 *
 * Ownership:
 * - A frame returned by otc_video_frame_new*, _copy or _convert owns a private copy of the pixels;
 *   the caller's buffers are only read during the call. Free it with otc_video_frame_delete.
 * - A frame the SDK hands to a callback (e.g. a subscriber's rendered frame) is a view the SDK owns,
 *   valid during the callback only: never delete it; otc_video_frame_copy it to keep it.
 * - Frames are immutable apart from their timestamp; a frame may be read from several threads.
 *
 * Geometry: 1 <= width, height <= OTC_VIDEO_FRAME_MAX_DIMENSION. Odd sizes are allowed; 4:2:0 and
 * 4:2:2 chroma planes are then rounded up ((width + 1) / 2). Strides are in bytes, never negative,
 * and at least the plane's row size. Anything else is refused: the constructors return NULL.
 *
 * Conversions between formats go through libyuv (BT.601 limited range for YUV <-> RGB, as
 * libyuv's I420ToARGB / ARGBToI420). They are available when the library was built with media
 * support (otc_codec_is_supported(OTC_CODEC_VP8) etc., capabilities.h); without it,
 * otc_video_frame_convert returns NULL and only I420 frames can be created from planes.
 */
#ifndef OTC_VIDEO_FRAME_H
#define OTC_VIDEO_FRAME_H

#include "config.h"
#include "errors.h"

OTC_BEGIN_DECLS

typedef struct otc_video_frame otc_video_frame;

/* Largest width and height of a frame (and of what the encoders accept). */
#define OTC_VIDEO_FRAME_MAX_DIMENSION 8192

/*
 * Pixel formats; numbers as in the OpenTok Linux SDK. The packed RGB names follow libyuv, whose
 * name lists the components of a little-endian 32-bit word from the most significant byte, so
 * the bytes in memory are the reverse of the name:
 *   ARGB32: B, G, R, A     BGRA32: A, R, G, B     ABGR32: R, G, B, A     RGBA32: A, B, G, R
 *   RGB24:  B, G, R (3 bytes a pixel)
 *   YUY2:   Y0, U, Y1, V   UYVY: U, Y0, V, Y1 (4:2:2, 2 bytes a pixel)
 *   NV12:   Y plane, then one plane of interleaved U, V (4:2:0); NV21: the same with V, U.
 *   YUV420P (I420): Y, U and V planes, chroma halved in both directions.
 * Converting to a format without alpha and back sets alpha to 255.
 */
enum otc_video_frame_format {
  OTC_VIDEO_FRAME_FORMAT_UNKNOWN = 0,
  OTC_VIDEO_FRAME_FORMAT_YUV420P = 1, /* I420 */
  OTC_VIDEO_FRAME_FORMAT_NV12 = 2,
  OTC_VIDEO_FRAME_FORMAT_NV21 = 3,
  OTC_VIDEO_FRAME_FORMAT_YUY2 = 4,
  OTC_VIDEO_FRAME_FORMAT_UYVY = 5,
  OTC_VIDEO_FRAME_FORMAT_ARGB32 = 6,
  OTC_VIDEO_FRAME_FORMAT_BGRA32 = 7,
  OTC_VIDEO_FRAME_FORMAT_RGB24 = 8,
  OTC_VIDEO_FRAME_FORMAT_ABGR32 = 9,
  /* 10 is MJPEG in the OpenTok SDK: not supported here. */
  OTC_VIDEO_FRAME_FORMAT_RGBA32 = 11
};

/*
 * Planes; numbers as in the OpenTok Linux SDK.
 * YUV420P: Y, U, V. NV12: Y, UV_INTERLEAVED. NV21: Y, VU_INTERLEAVED. Packed formats: PACKED.
 */
enum otc_video_frame_plane {
  OTC_VIDEO_FRAME_PLANE_Y = 0,
  OTC_VIDEO_FRAME_PLANE_U = 1,
  OTC_VIDEO_FRAME_PLANE_V = 2,
  OTC_VIDEO_FRAME_PLANE_PACKED = 3,
  OTC_VIDEO_FRAME_PLANE_UV_INTERLEAVED = 4,
  OTC_VIDEO_FRAME_PLANE_VU_INTERLEAVED = 5
};

/*
 * A new frame of `format` from one contiguous buffer with the tightest layout: packed formats
 * with stride width * bytes-per-pixel; YUV420P as Y (stride width), U, V (stride (width+1)/2);
 * NV12/NV21 as Y (stride width) then the chroma plane (stride 2 * ((width+1)/2)).
 * NULL on an unsupported format, bad size, NULL buffer or out of memory.
 */
OTC_API otc_video_frame* otc_video_frame_new(enum otc_video_frame_format format, int width, int height,
                                             const uint8_t* buffer);

/* A new YUV420P frame copied from three planes. NULL on bad arguments (see the top of the file). */
OTC_API otc_video_frame* otc_video_frame_new_I420(int width, int height,
                                                  const uint8_t* y_plane, int y_stride,
                                                  const uint8_t* u_plane, int u_stride,
                                                  const uint8_t* v_plane, int v_stride);

/*
 * A new frame of `format` copied from its planes, in the order of the plane list above:
 * planes[0..2] and strides[0..2] for YUV420P, [0..1] for NV12/NV21, [0] for packed formats.
 * (The OpenTok SDK declares `strides` as int*; a const pointer accepts the same calls.)
 */
OTC_API otc_video_frame* otc_video_frame_new_from_planes(enum otc_video_frame_format format, int width,
                                                         int height, const uint8_t** planes,
                                                         const int* strides);

/* Frees a frame this application created (new, copy, convert). OTC_SUCCESS; NULL is a no-op. */
OTC_API otc_status otc_video_frame_delete(otc_video_frame* frame);

/* A deep copy (owning its pixels) of any frame, including an SDK view. NULL on failure. */
OTC_API otc_video_frame* otc_video_frame_copy(const otc_video_frame* frame);

/*
 * A new frame holding `frame` converted to `format` (a deep copy when the format is the same).
 * Every format of the enum converts to and from YUV420P; between two other formats the conversion
 * goes through YUV420P (or ARGB32 between packed RGB formats). NULL on failure or when this
 * build has no media support.
 */
OTC_API otc_video_frame* otc_video_frame_convert(enum otc_video_frame_format format,
                                                 const otc_video_frame* frame);

/* Getters. On a NULL frame: FORMAT_UNKNOWN, 0, NULL. */
OTC_API enum otc_video_frame_format otc_video_frame_get_format(const otc_video_frame* frame);
OTC_API int otc_video_frame_get_width(const otc_video_frame* frame);
OTC_API int otc_video_frame_get_height(const otc_video_frame* frame);
/* Capture timestamp in microseconds (the same clock as otc_media_frame.timestamp_us). */
OTC_API int64_t otc_video_frame_get_timestamp(const otc_video_frame* frame);
OTC_API void otc_video_frame_set_timestamp(otc_video_frame* frame, int64_t timestamp);
/* 3 for YUV420P, 2 for NV12/NV21, 1 for packed formats. */
OTC_API size_t otc_video_frame_get_number_of_planes(const otc_video_frame* frame);
/* OTC_TRUE for the packed formats (YUY2, UYVY and the RGB ones). */
OTC_API otc_bool otc_video_frame_is_packed(const otc_video_frame* frame);

/*
 * Per plane (NULL / 0 when the frame has no such plane): the first byte, the stride in bytes,
 * the size in bytes (stride * plane height), and the plane's width and height in samples
 * (for an interleaved chroma plane: in U/V pairs; for a packed plane: in pixels).
 */
OTC_API const uint8_t* otc_video_frame_get_plane_binary_data(const otc_video_frame* frame,
                                                             enum otc_video_frame_plane plane);
OTC_API size_t otc_video_frame_get_plane_size(const otc_video_frame* frame, enum otc_video_frame_plane plane);
OTC_API int otc_video_frame_get_plane_stride(const otc_video_frame* frame, enum otc_video_frame_plane plane);
OTC_API int otc_video_frame_get_plane_width(const otc_video_frame* frame, enum otc_video_frame_plane plane);
OTC_API int otc_video_frame_get_plane_height(const otc_video_frame* frame, enum otc_video_frame_plane plane);

OTC_END_DECLS

#endif /* OTC_VIDEO_FRAME_H */
