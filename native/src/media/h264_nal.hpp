// Annex B scanning of untrusted H.264: whether an access unit holds an IDR slice (NAL unit type 5),
// i.e. is a keyframe, read from the bitstream itself rather than from anything a sender claims;
// and the picture size its sequence parameter sets announce.
#ifndef OTC_SRC_MEDIA_H264_NAL_HPP
#define OTC_SRC_MEDIA_H264_NAL_HPP

#include <cstddef>
#include <cstdint>

namespace otc::media {

constexpr int kH264NalIdr = 5;

// Calls visit(nal_unit_type) for each NAL unit after a 00 00 01 start code (the 4-byte form
// 00 00 00 01 ends in the same three bytes).
template <typename Visit>
void h264_for_each_nal_type(const std::uint8_t* data, std::size_t size, Visit&& visit) {
  for (std::size_t i = 0; i + 3 < size; ++i) {
    if (data[i] == 0 && data[i + 1] == 0 && data[i + 2] == 1) {
      visit(data[i + 3] & 0x1f);
      i += 2;
    }
  }
}

inline bool h264_has_idr(const std::uint8_t* data, std::size_t size) {
  bool idr = false;
  h264_for_each_nal_type(data, size, [&](int type) { idr = idr || type == kH264NalIdr; });
  return idr;
}

// Whether every sequence parameter set (NAL unit type 7) in an access unit parses and announces a
// coded picture of at most max_width x max_height pixels (macroblock multiples, before cropping).
// Checked before OpenH264 sees the bytes, so a hostile SPS cannot make it allocate for a huge size.
// No SPS at all: true.
bool h264_sps_sizes_within(const std::uint8_t* data, std::size_t size, int max_width, int max_height);

}  // namespace otc::media

#endif
