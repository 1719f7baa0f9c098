#include "protocol.hpp"

#include "wire_buffer.hpp"

namespace otc::client::wire {
namespace {

// Starts a framed message: length placeholder + type byte.
WireWriter start(std::vector<std::uint8_t>& buf, MsgType type) {
  buf.clear();
  buf.resize(kLengthPrefix);
  buf.push_back(static_cast<std::uint8_t>(type));
  return WireWriter(buf);
}

template <typename Fn>
std::vector<std::uint8_t> framed(MsgType type, Fn&& body) {
  std::vector<std::uint8_t> buf;
  WireWriter w = start(buf, type);
  body(w);
  finish_message(buf);
  return buf;
}

std::string id(WireReader& r) { return r.str(kMaxIdBytes); }
std::string text(WireReader& r) { return r.str(kMaxStrBytes); }

void read_media_frame(WireReader& r, MediaFrame& m, std::size_t msg_len) {
  m.metadata_offset = 1 + r.position();
  m.stream_id = id(r);
  m.media = r.u8();
  m.codec = r.u8();
  m.flags = r.u8();
  m.timestamp_us = r.u64();
  m.sequence = r.u32();
  m.spatial_layer = r.u8();
  m.temporal_layer = r.u8();
  m.payload_offset = 1 + r.position();
  m.payload_len = r.ok() ? msg_len - m.payload_offset : 0;
}

template <typename Variant, typename T>
DecodeStatus finish(WireReader& r, Variant& out, T&& value) {
  if (!r.finished()) return DecodeStatus::kMalformed;
  out = std::forward<T>(value);
  return DecodeStatus::kOk;
}

}  // namespace

void finish_message(std::vector<std::uint8_t>& buf) {
  put_u32_at(buf, 0, static_cast<std::uint32_t>(buf.size() - kLengthPrefix));
}

void begin_media_frame(std::vector<std::uint8_t>& buf, MediaFrame& h) {
  WireWriter w = start(buf, MsgType::kMediaFrame);
  h.metadata_offset = buf.size() - kLengthPrefix;
  w.str(h.stream_id);
  w.u8(h.media);
  w.u8(h.codec);
  w.u8(h.flags);
  w.u64(h.timestamp_us);
  w.u32(h.sequence);
  w.u8(h.spatial_layer);
  w.u8(h.temporal_layer);
  h.payload_offset = buf.size() - kLengthPrefix;
}

std::vector<std::uint8_t> encode_media_frame(MediaFrame h, const std::uint8_t* payload, std::size_t payload_len) {
  std::vector<std::uint8_t> buf;
  begin_media_frame(buf, h);
  buf.insert(buf.end(), payload, payload + payload_len);
  finish_message(buf);
  return buf;
}

std::vector<std::uint8_t> encode(const Hello& m) {
  return framed(MsgType::kHello, [&](WireWriter& w) {
    w.u32(m.magic);
    w.u16(m.protocol_version);
    w.u16(m.e2ee_format_version);
    w.str(m.client_name);
  });
}
std::vector<std::uint8_t> encode(const Connect& m) {
  return framed(MsgType::kConnect, [&](WireWriter& w) { w.str(m.token); });
}
std::vector<std::uint8_t> encode(const Publish& m) {
  return framed(MsgType::kPublish, [&](WireWriter& w) {
    w.u32(m.publish_id);
    w.str(m.name);
    w.u8(m.has_audio);
    w.u8(m.has_video);
    w.u8(m.video_codec);
    w.u8(m.audio_codec);
    w.u8(m.encrypted);
    if (m.resume_stream_id) w.str(*m.resume_stream_id);
  });
}
std::vector<std::uint8_t> encode(const Unpublish& m) {
  return framed(MsgType::kUnpublish, [&](WireWriter& w) { w.str(m.stream_id); });
}
std::vector<std::uint8_t> encode(const Subscribe& m) {
  return framed(MsgType::kSubscribe, [&](WireWriter& w) { w.str(m.stream_id); });
}
std::vector<std::uint8_t> encode(const Unsubscribe& m) {
  return framed(MsgType::kUnsubscribe, [&](WireWriter& w) { w.str(m.stream_id); });
}
std::vector<std::uint8_t> encode(const KeyframeRequest& m) {
  return framed(MsgType::kKeyframeRequest, [&](WireWriter& w) { w.str(m.stream_id); });
}
std::vector<std::uint8_t> encode(const SignalOut& m) {
  return framed(MsgType::kSignal, [&](WireWriter& w) {
    w.str(m.to_connection_id);
    w.str(m.type);
    w.str(m.data);
  });
}
std::vector<std::uint8_t> encode(const Disconnect&) {
  return framed(MsgType::kDisconnect, [](WireWriter&) {});
}
std::vector<std::uint8_t> encode(const HelloAck& m) {
  return framed(MsgType::kHelloAck, [&](WireWriter& w) {
    w.u16(m.protocol_version);
    w.u16(m.e2ee_format_version);
    w.str(m.router_name);
  });
}
std::vector<std::uint8_t> encode(const Connected& m) {
  return framed(MsgType::kConnected, [&](WireWriter& w) {
    w.str(m.connection_id);
    w.str(m.session_id);
    w.u8(m.e2ee);
    w.u8(m.role);
    w.str(m.connection_data);
    w.u64(m.creation_time_ms);
  });
}
std::vector<std::uint8_t> encode(const ConnectionCreated& m) {
  return framed(MsgType::kConnectionCreated, [&](WireWriter& w) {
    w.str(m.connection_id);
    w.str(m.connection_data);
    w.u64(m.creation_time_ms);
  });
}
std::vector<std::uint8_t> encode(const ConnectionDropped& m) {
  return framed(MsgType::kConnectionDropped, [&](WireWriter& w) {
    w.str(m.connection_id);
    w.u8(m.reason);
  });
}
std::vector<std::uint8_t> encode(const Published& m) {
  return framed(MsgType::kPublished, [&](WireWriter& w) {
    w.u32(m.publish_id);
    w.str(m.stream_id);
  });
}
std::vector<std::uint8_t> encode(const StreamCreated& m) {
  return framed(MsgType::kStreamCreated, [&](WireWriter& w) {
    w.str(m.stream_id);
    w.str(m.connection_id);
    w.str(m.name);
    w.u8(m.has_audio);
    w.u8(m.has_video);
    w.u8(m.video_codec);
    w.u8(m.audio_codec);
    w.u8(m.e2ee);
    w.u64(m.creation_time_ms);
  });
}
std::vector<std::uint8_t> encode(const StreamDestroyed& m) {
  return framed(MsgType::kStreamDestroyed, [&](WireWriter& w) {
    w.str(m.stream_id);
    w.u8(m.reason);
  });
}
std::vector<std::uint8_t> encode(const Subscribed& m) {
  return framed(MsgType::kSubscribed, [&](WireWriter& w) { w.str(m.stream_id); });
}
std::vector<std::uint8_t> encode(const SignalIn& m) {
  return framed(MsgType::kSignal, [&](WireWriter& w) {
    w.str(m.from_connection_id);
    w.str(m.type);
    w.str(m.data);
  });
}
std::vector<std::uint8_t> encode(const Error& m) {
  return framed(MsgType::kError, [&](WireWriter& w) {
    w.u32(m.code);
    w.str(m.message);
    w.str(m.context);
  });
}
std::vector<std::uint8_t> encode(const Disconnecting& m) {
  return framed(MsgType::kDisconnecting, [&](WireWriter& w) {
    w.u32(m.code);
    w.str(m.message);
  });
}

std::vector<std::uint8_t> encode(const Redirect& m) {
  return framed(MsgType::kRedirect, [&](WireWriter& w) {
    w.str(m.url);
    w.u8(m.reason);
  });
}
std::vector<std::uint8_t> encode(const Nodes& m) {
  return framed(MsgType::kNodes, [&](WireWriter& w) {
    w.u16(static_cast<std::uint16_t>(m.urls.size()));
    for (const auto& u : m.urls) w.str(u);
  });
}

DecodeStatus decode_router_message(const std::uint8_t* msg, std::size_t len, RouterMessage& out) {
  if (len == 0) return DecodeStatus::kEmpty;
  WireReader r(msg + 1, len - 1);
  switch (static_cast<MsgType>(msg[0])) {
    case MsgType::kHelloAck: {
      HelloAck m;
      m.protocol_version = r.u16();
      m.e2ee_format_version = r.u16();
      m.router_name = id(r);
      return finish(r, out, std::move(m));
    }
    case MsgType::kConnected: {
      Connected m;
      m.connection_id = id(r);
      m.session_id = id(r);
      m.e2ee = r.u8();
      m.role = r.u8();
      m.connection_data = text(r);
      m.creation_time_ms = r.u64();
      return finish(r, out, std::move(m));
    }
    case MsgType::kConnectionCreated: {
      ConnectionCreated m;
      m.connection_id = id(r);
      m.connection_data = text(r);
      m.creation_time_ms = r.u64();
      return finish(r, out, std::move(m));
    }
    case MsgType::kConnectionDropped: {
      ConnectionDropped m;
      m.connection_id = id(r);
      m.reason = r.u8();
      return finish(r, out, std::move(m));
    }
    case MsgType::kPublished: {
      Published m;
      m.publish_id = r.u32();
      m.stream_id = id(r);
      return finish(r, out, std::move(m));
    }
    case MsgType::kStreamCreated: {
      StreamCreated m;
      m.stream_id = id(r);
      m.connection_id = id(r);
      m.name = id(r);
      m.has_audio = r.u8();
      m.has_video = r.u8();
      m.video_codec = r.u8();
      m.audio_codec = r.u8();
      m.e2ee = r.u8();
      m.creation_time_ms = r.u64();
      return finish(r, out, std::move(m));
    }
    case MsgType::kStreamDestroyed: {
      StreamDestroyed m;
      m.stream_id = id(r);
      m.reason = r.u8();
      return finish(r, out, std::move(m));
    }
    case MsgType::kSubscribed: {
      Subscribed m;
      m.stream_id = id(r);
      return finish(r, out, std::move(m));
    }
    case MsgType::kMediaFrame: {
      MediaFrame m;
      read_media_frame(r, m, len);
      if (!r.ok()) return DecodeStatus::kMalformed;
      out = std::move(m);
      return DecodeStatus::kOk;
    }
    case MsgType::kKeyframeRequest: {
      KeyframeRequest m;
      m.stream_id = id(r);
      return finish(r, out, std::move(m));
    }
    case MsgType::kSignal: {
      SignalIn m;
      m.from_connection_id = id(r);
      m.type = id(r);
      m.data = r.str(kMaxSignalDataBytes);
      return finish(r, out, std::move(m));
    }
    case MsgType::kError: {
      Error m;
      m.code = r.u32();
      m.message = text(r);
      m.context = text(r);
      return finish(r, out, std::move(m));
    }
    case MsgType::kDisconnecting: {
      Disconnecting m;
      m.code = r.u32();
      m.message = text(r);
      return finish(r, out, std::move(m));
    }
    case MsgType::kRedirect: {
      Redirect m;
      m.url = r.str(kMaxUrlBytes);
      m.reason = r.u8();
      return finish(r, out, std::move(m));
    }
    case MsgType::kNodes: {
      Nodes m;
      const std::uint16_t n = r.u16();
      // Checked before anything is allocated: the count alone may not make the client reserve.
      if (n > kMaxNodes) return DecodeStatus::kMalformed;
      for (std::uint16_t i = 0; i < n && r.ok(); ++i) m.urls.push_back(r.str(kMaxUrlBytes));
      return finish(r, out, std::move(m));
    }
    default:
      return DecodeStatus::kUnknownType;
  }
}

DecodeStatus decode_client_message(const std::uint8_t* msg, std::size_t len, ClientMessage& out) {
  if (len == 0) return DecodeStatus::kEmpty;
  WireReader r(msg + 1, len - 1);
  switch (static_cast<MsgType>(msg[0])) {
    case MsgType::kHello: {
      Hello m;
      m.magic = r.u32();
      m.protocol_version = r.u16();
      m.e2ee_format_version = r.u16();
      m.client_name = id(r);
      return finish(r, out, std::move(m));
    }
    case MsgType::kConnect: {
      Connect m;
      m.token = text(r);
      return finish(r, out, std::move(m));
    }
    case MsgType::kPublish: {
      Publish m;
      m.publish_id = r.u32();
      m.name = id(r);
      m.has_audio = r.u8();
      m.has_video = r.u8();
      m.video_codec = r.u8();
      m.audio_codec = r.u8();
      m.encrypted = r.u8();
      if (r.remaining() > 0) m.resume_stream_id = id(r);
      return finish(r, out, std::move(m));
    }
    case MsgType::kUnpublish: {
      Unpublish m;
      m.stream_id = id(r);
      return finish(r, out, std::move(m));
    }
    case MsgType::kSubscribe: {
      Subscribe m;
      m.stream_id = id(r);
      return finish(r, out, std::move(m));
    }
    case MsgType::kUnsubscribe: {
      Unsubscribe m;
      m.stream_id = id(r);
      return finish(r, out, std::move(m));
    }
    case MsgType::kMediaFrame: {
      MediaFrame m;
      read_media_frame(r, m, len);
      if (!r.ok()) return DecodeStatus::kMalformed;
      out = std::move(m);
      return DecodeStatus::kOk;
    }
    case MsgType::kKeyframeRequest: {
      KeyframeRequest m;
      m.stream_id = id(r);
      return finish(r, out, std::move(m));
    }
    case MsgType::kSignal: {
      SignalOut m;
      m.to_connection_id = id(r);
      m.type = id(r);
      m.data = r.str(kMaxSignalDataBytes);
      return finish(r, out, std::move(m));
    }
    case MsgType::kDisconnect: {
      return finish(r, out, Disconnect{});
    }
    default:
      return DecodeStatus::kUnknownType;
  }
}

}  // namespace otc::client::wire
