// Per-thread buffer that GCM decryption writes into before the tag is known: OpenSSL produces
// GCM plaintext before it can check the tag, and the API promises that a failed frame leaves the
// caller's buffer untouched. The buffer only grows, so steady-state frames allocate nothing.
#ifndef OTC_SRC_SCRATCH_BUFFER_HPP
#define OTC_SRC_SCRATCH_BUFFER_HPP

#include <cstddef>
#include <cstdint>

namespace otc {

// At least len bytes owned by the calling thread, valid until its next call on this thread.
// Throws std::bad_alloc when it cannot grow.
std::uint8_t* thread_scratch(std::size_t len);

}  // namespace otc

#endif
