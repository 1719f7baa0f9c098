// The object behind the opaque otc_stream handle: an immutable snapshot of a STREAM_CREATED.
#ifndef OTC_SRC_SESSION_STREAM_IMPL_HPP
#define OTC_SRC_SESSION_STREAM_IMPL_HPP

#include <cstdint>
#include <memory>
#include <string>

#include "connection_impl.hpp"

struct otc_stream {
  std::string id;
  std::string name;
  std::string connection_id;
  int video_codec = 0;
  int audio_codec = 0;
  bool has_audio = false;
  bool has_video = false;
  bool e2ee = false;
  std::int64_t creation_time_ms = 0;
  // The publisher's connection (never null once the session built the stream).
  std::shared_ptr<const otc_connection> connection;
  int drop_reason = 0;  // set only on the copy handed to on_stream_dropped
};

#endif
