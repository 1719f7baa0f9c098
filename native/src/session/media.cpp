#include "otc/media.h"

extern "C" {

const char* otc_codec_name(int codec) {
  switch (codec) {
    case OTC_CODEC_NONE: return "none";
    case OTC_CODEC_VP8: return "VP8";
    case OTC_CODEC_VP9: return "VP9";
    case OTC_CODEC_H264: return "H264";
    case OTC_CODEC_OPUS: return "OPUS";
    default: return nullptr;
  }
}

otc_bool otc_codec_is_valid_for(int media_type, int codec) {
  if (media_type == OTC_MEDIA_TYPE_VIDEO) {
    return codec == OTC_CODEC_VP8 || codec == OTC_CODEC_VP9 || codec == OTC_CODEC_H264 ? OTC_TRUE : OTC_FALSE;
  }
  if (media_type == OTC_MEDIA_TYPE_AUDIO) return codec == OTC_CODEC_OPUS ? OTC_TRUE : OTC_FALSE;
  return OTC_FALSE;
}

}  // extern "C"
