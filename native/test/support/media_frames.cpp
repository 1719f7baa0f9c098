#include "media_frames.hpp"

#include "otc/media.h"
#include "session/protocol.hpp"

namespace otc_test {

namespace wire = otc::client::wire;

std::vector<std::uint8_t> encrypted_media_frame(otc_frame_cryptor* sender, const std::string& stream_id,
                                                std::uint32_t sequence, bool keyframe, const std::uint8_t* payload,
                                                std::size_t payload_len) {
  wire::MediaFrame h;
  h.stream_id = stream_id;
  h.media = OTC_MEDIA_TYPE_VIDEO;
  h.codec = OTC_CODEC_VP8;
  h.flags = static_cast<std::uint8_t>(wire::kFlagEncrypted | (keyframe ? wire::kFlagKeyframe : 0));
  h.sequence = sequence;
  std::vector<std::uint8_t> buf;
  wire::begin_media_frame(buf, h);
  const std::size_t payload_at = wire::kLengthPrefix + h.payload_offset;
  const std::size_t capacity = payload_len + otc_frame_cryptor_max_overhead(sender);
  buf.resize(payload_at + capacity);
  std::size_t out_len = 0;
  if (otc_frame_cryptor_encrypt(sender, buf.data() + wire::kLengthPrefix + h.metadata_offset,
                                h.payload_offset - h.metadata_offset, payload, payload_len, buf.data() + payload_at,
                                capacity, &out_len) != OTC_SUCCESS) {
    return {};
  }
  buf.resize(payload_at + out_len);
  wire::finish_message(buf);
  return buf;
}

}  // namespace otc_test
