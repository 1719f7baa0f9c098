// Hook of the crypto engine into otc_testing_inject_fault (otc/testing.h).
#ifndef OTC_SRC_FAULT_INJECTION_HPP
#define OTC_SRC_FAULT_INJECTION_HPP

#include "otc/testing.h"

namespace otc {

// True when this call must fail as an engine failure, using up one injected fault of `fault`.
bool take_injected_fault(otc_testing_fault fault) noexcept;

}  // namespace otc

#endif
