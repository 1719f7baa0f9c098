#include "encoder_input.hpp"

namespace otc::media {

bool frame_is_well_formed(const otc_video_frame& frame) {
  const int count = plane_count(frame.format);
  if (count == 0 || count != frame.plane_count || !valid_dimensions(frame.width, frame.height)) {
    return false;
  }
  for (int i = 0; i < count; ++i) {
    if (frame.data[i] == nullptr || frame.stride[i] < plane_shape(frame.format, frame.width, frame.height, i).row_bytes) {
      return false;
    }
  }
  return true;
}

void encoded_size(int frame_width, int frame_height, int config_width, int config_height, bool even, int& width,
                  int& height) {
  width = config_width > 0 ? config_width : frame_width;
  height = config_height > 0 ? config_height : frame_height;
  if (even) {
    width = width < 2 ? 2 : width & ~1;
    height = height < 2 ? 2 : height & ~1;
  }
}

otc_status prepare_i420(const otc_video_frame& frame, int width, int height, VideoFramePtr& scratch,
                        const otc_video_frame*& result) {
  if (!frame_is_well_formed(frame) || !valid_dimensions(width, height)) {
    return OTC_ERR_INVALID_PARAM;
  }
  const otc_video_frame* i420 = &frame;
  VideoFramePtr converted;
  if (frame.format != OTC_VIDEO_FRAME_FORMAT_YUV420P) {
    const otc_status status = convert_frame(frame, OTC_VIDEO_FRAME_FORMAT_YUV420P, converted);
    if (status != OTC_SUCCESS) {
      return status;
    }
    i420 = converted.get();
  }
  // Same size, or the even crop of an odd size: the planes as they are (the encoder reads only
  // width x height of them; chroma rows/columns of the crop are a prefix of the frame's).
  const int extra_columns = i420->width - width;
  const int extra_rows = i420->height - height;
  const bool crop = (extra_columns == 0 || extra_columns == 1) && (extra_rows == 0 || extra_rows == 1);
  if (crop) {
    if (converted) {
      scratch = std::move(converted);
      result = scratch.get();
    } else {
      result = i420;
    }
    return OTC_SUCCESS;
  }
  VideoFramePtr scaled;
  const otc_status status = scale_i420(*i420, width, height, scaled);
  if (status != OTC_SUCCESS) {
    return status;
  }
  scratch = std::move(scaled);
  result = scratch.get();
  return OTC_SUCCESS;
}

otc_status prepare_encoder_input(const otc_video_frame& frame, int config_width, int config_height, bool even,
                                 VideoFramePtr& scratch, const otc_video_frame*& input, int& width, int& height) {
  if (!frame_is_well_formed(frame)) {
    return OTC_ERR_INVALID_PARAM;
  }
  encoded_size(frame.width, frame.height, config_width, config_height, even, width, height);
  return prepare_i420(frame, width, height, scratch, input);
}

}  // namespace otc::media
