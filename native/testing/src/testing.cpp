// otc_testing_inject_fault: pending fault counts that the frame cryptor consumes at the AEAD call.
// Part of the test build of the library only (src/fault_injection.hpp).
#include "otc/testing.h"

#include <atomic>
#include <cstdint>

#include "fault_injection.hpp"

namespace {

std::atomic<std::uint32_t> g_encrypt_faults{0};
std::atomic<std::uint32_t> g_decrypt_faults{0};

std::atomic<std::uint32_t>* counter_of(otc::InjectedFault fault) noexcept {
  return fault == otc::InjectedFault::kEncrypt ? &g_encrypt_faults : &g_decrypt_faults;
}

std::atomic<std::uint32_t>* counter_of(int fault) noexcept {
  switch (fault) {
    case OTC_TESTING_FAULT_ENCRYPT:
      return &g_encrypt_faults;
    case OTC_TESTING_FAULT_DECRYPT:
      return &g_decrypt_faults;
    default:
      return nullptr;
  }
}

}  // namespace

namespace otc {

bool take_injected_fault(InjectedFault fault) noexcept {
  std::atomic<std::uint32_t>* pending = counter_of(fault);
  // The relaxed load keeps the unused case to one plain read per frame; the decrement must not
  // go below zero when several threads race for the last fault, hence the CAS loop.
  std::uint32_t n = pending->load(std::memory_order_relaxed);
  while (n != 0) {
    if (pending->compare_exchange_weak(n, n - 1, std::memory_order_relaxed)) return true;
  }
  return false;
}

}  // namespace otc

extern "C" otc_status otc_testing_inject_fault(int fault, uint32_t count) {
  std::atomic<std::uint32_t>* pending = counter_of(fault);
  if (pending == nullptr) return OTC_ERR_INVALID_PARAM;
  pending->store(count, std::memory_order_relaxed);
  return OTC_SUCCESS;
}
