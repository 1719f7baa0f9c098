// otc_init/otc_destroy and the logging entry points of otc/base.h.
#include "log.hpp"

#include <atomic>
#include <cstdio>

#include "otc/capabilities.h"

namespace {

std::atomic<int> g_level{OTC_LOG_LEVEL_DISABLED};
std::atomic<otc_logger_callback> g_logger{nullptr};

const char* level_name(otc_log_level level) {
  switch (level) {
    case OTC_LOG_LEVEL_FATAL: return "FATAL";
    case OTC_LOG_LEVEL_ERROR: return "ERROR";
    case OTC_LOG_LEVEL_WARN: return "WARN";
    case OTC_LOG_LEVEL_INFO: return "INFO";
    case OTC_LOG_LEVEL_DEBUG: return "DEBUG";
    case OTC_LOG_LEVEL_MSG: return "MSG";
    default: return "TRACE";
  }
}

}  // namespace

namespace otc {

bool log_enabled(otc_log_level level) noexcept {
  return level != OTC_LOG_LEVEL_DISABLED && static_cast<int>(level) <= g_level.load(std::memory_order_relaxed);
}

void log_line(otc_log_level level, const std::string& message) noexcept {
  if (!log_enabled(level)) return;
  try {
    const std::string line = std::string("otc ") + level_name(level) + ": " + message;
    if (otc_logger_callback cb = g_logger.load(std::memory_order_acquire)) {
      cb(line.c_str());
    } else {
      std::fprintf(stderr, "%s\n", line.c_str());
    }
  } catch (...) {
    // Out of memory while formatting: the line is lost, the caller is not disturbed.
  }
}

}  // namespace otc

extern "C" {

otc_status otc_init(void* reserved) {
  if (reserved != nullptr) return OTC_ERR_INVALID_PARAM;
  if (!otc_e2ee_is_supported()) {
    otc::log_line(OTC_LOG_LEVEL_WARN, "end-to-end encryption is unavailable in this process (self test failed); "
                                      "only sessions without encryption will work");
  }
  otc::log_line(OTC_LOG_LEVEL_INFO, std::string("initialised ") + otc_version());
  return OTC_SUCCESS;
}

otc_status otc_destroy(void) { return OTC_SUCCESS; }

void otc_log_set_logger_callback(otc_logger_callback callback) { g_logger.store(callback, std::memory_order_release); }

void otc_log_enable(enum otc_log_level level) {
  int l = static_cast<int>(level);
  if (l < OTC_LOG_LEVEL_DISABLED) l = OTC_LOG_LEVEL_DISABLED;
  if (l > OTC_LOG_LEVEL_ALL) l = OTC_LOG_LEVEL_ALL;
  g_level.store(l, std::memory_order_relaxed);
}

enum otc_log_level otc_get_log_level(void) { return static_cast<otc_log_level>(g_level.load(std::memory_order_relaxed)); }

}  // extern "C"
