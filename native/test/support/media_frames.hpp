// Encrypted MEDIA_FRAME messages as a publisher of a session sends them (docs/PROTOCOL.md sec. 4):
// for tests and benchmarks that play the router's side with the scripted fake router.
#ifndef OTC_TEST_MEDIA_FRAMES_HPP
#define OTC_TEST_MEDIA_FRAMES_HPP

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "otc/frame_cryptor.h"

namespace otc_test {

// A video (VP8) MEDIA_FRAME with its length prefix: routing metadata authenticated as AAD, payload
// sealed by `sender`. Empty when the encryption fails (the caller asserts).
std::vector<std::uint8_t> encrypted_media_frame(otc_frame_cryptor* sender, const std::string& stream_id,
                                                std::uint32_t sequence, bool keyframe, const std::uint8_t* payload,
                                                std::size_t payload_len);

}  // namespace otc_test

#endif  // OTC_TEST_MEDIA_FRAMES_HPP
