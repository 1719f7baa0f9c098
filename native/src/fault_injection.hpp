// Hook of the crypto engine into otc_testing_inject_fault (testing/include/otc/testing.h).
//
// Only the test build of the library (otc_static, libotc_testing: OTC_FAULT_INJECTION defined,
// testing/src/testing.cpp linked in) has fault injection. In the shipped libotc the hook is a
// constant false that the compiler removes: no pending-fault counters, no otc_testing_* symbol.
#ifndef OTC_SRC_FAULT_INJECTION_HPP
#define OTC_SRC_FAULT_INJECTION_HPP

namespace otc {

enum class InjectedFault { kEncrypt, kDecrypt };

#ifdef OTC_FAULT_INJECTION
// True when this call must fail as an engine failure, using up one injected fault of `fault`.
bool take_injected_fault(InjectedFault fault) noexcept;
#else
constexpr bool take_injected_fault(InjectedFault) noexcept { return false; }
#endif

}  // namespace otc

#endif
