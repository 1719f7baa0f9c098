// What every video encoder does first: check the caller's frame and bring it to YUV420P at the
// encoded size (conversion and scaling through libyuv only when needed, no copy otherwise).
#ifndef OTC_SRC_MEDIA_ENCODER_INPUT_HPP
#define OTC_SRC_MEDIA_ENCODER_INPUT_HPP

#include "video_frame_internal.hpp"

namespace otc::media {

// Whether `frame` is consistent: known format, valid size, non-NULL planes, strides >= row sizes.
bool frame_is_well_formed(const otc_video_frame& frame);

// The size to encode a frame of frame_width x frame_height at: the configured one, or the frame's
// own when configured as 0 x 0.
// even: round down to even numbers (H.264 4:2:0 needs whole chroma samples), never below 2.
void encoded_size(int frame_width, int frame_height, int config_width, int config_height, bool even,
                  int& width, int& height);

// `frame` as YUV420P of exactly width x height: either `frame` itself (already so) or a converted
// and/or scaled copy kept in `scratch`. For an even crop of an odd-sized YUV420P frame (width/height
// one less than the frame's), the frame itself is used with the last column/row ignored.
otc_status prepare_i420(const otc_video_frame& frame, int width, int height, VideoFramePtr& scratch,
                        const otc_video_frame*& result);

// The three steps above in the order every encoder runs them: the frame checked, its encoded size
// chosen (`width`/`height`), and `input` pointing at YUV420P of that size.
otc_status prepare_encoder_input(const otc_video_frame& frame, int config_width, int config_height, bool even,
                                 VideoFramePtr& scratch, const otc_video_frame*& input, int& width, int& height);

}  // namespace otc::media

#endif
