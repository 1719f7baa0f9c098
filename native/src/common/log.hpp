// The library's log output (otc/base.h): one place that decides whether a line is written and
// where it goes. Callers pass finished text that never contains secrets, keys or tokens.
#ifndef OTC_SRC_LOG_HPP
#define OTC_SRC_LOG_HPP

#include <string>

#include "otc/base.h"

namespace otc {

// Whether lines of `level` are currently written (a relaxed atomic load: cheap on hot paths).
bool log_enabled(otc_log_level level) noexcept;

// Writes "otc <LEVEL>: <message>" to the application's logger (or stderr); never throws.
void log_line(otc_log_level level, const std::string& message) noexcept;

}  // namespace otc

#endif
