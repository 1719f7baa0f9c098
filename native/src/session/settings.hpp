// The objects behind otc_session_settings and otc_publisher_settings.
#ifndef OTC_SRC_SESSION_SETTINGS_HPP
#define OTC_SRC_SESSION_SETTINGS_HPP

#include <cstdint>
#include <string>

#include "connection.hpp"
#include "otc/frame_cryptor.h"
#include "otc/media.h"
#include "otc/session.h"

namespace otc::client {

struct SessionSettings {
  std::string router_url;
  std::uint32_t connect_timeout_ms = OTC_SESSION_DEFAULT_CONNECT_TIMEOUT_MS;
  std::uint32_t reconnect_timeout_ms = OTC_SESSION_DEFAULT_RECONNECT_TIMEOUT_MS;
  std::uint32_t grace_period_ms = OTC_FRAME_CRYPTOR_DEFAULT_GRACE_PERIOD_MS;
  TlsOptions tls;
  std::string client_name;
  bool e2ee_required = false;
};

struct PublisherSettings {
  std::string name;       // otc_publisher_settings_set_name; used when has_name
  bool has_name = false;
  bool has_audio = true;
  bool has_video = true;
  int video_codec = OTC_CODEC_VP8;
  int audio_codec = OTC_CODEC_OPUS;
  int video_bitrate_bps = 0;  // 0: from the capture size and frame rate (video_capture.cpp)
};

}  // namespace otc::client

struct otc_session_settings {
  otc::client::SessionSettings s;
};

struct otc_publisher_settings {
  otc::client::PublisherSettings s;
};

#endif
