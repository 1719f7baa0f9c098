// What the session client (src/session/) may ask a frame cryptor beyond the C API.
#ifndef OTC_SRC_INTERNAL_FRAME_CRYPTOR_INTERNAL_HPP
#define OTC_SRC_INTERNAL_FRAME_CRYPTOR_INTERNAL_HPP

#include <cstddef>
#include <cstdint>

#include "otc/frame_cryptor.h"

namespace otc {

// Which sender `frame` (an SFrame frame) comes from, as far as a header tells: one this
// cryptor's session has already admitted (its KID has a receive window), an unknown one (*kid
// set), or no valid header. Header parsing and one table lookup, no cryptography: the session
// client uses it on the socket thread to keep frames of unknown (possibly forged) senders within
// a small queue bound of their own.
enum class SenderClass { kAdmitted, kUnknown, kMalformed };
SenderClass classify_sender(const otc_frame_cryptor* cryptor, const std::uint8_t* frame, std::size_t frame_len,
                            std::uint64_t* kid);

}  // namespace otc

#endif
