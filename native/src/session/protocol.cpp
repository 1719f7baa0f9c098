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

// Every message's fields are listed once, in `layout`, and walked by both directions: Out writes
// them (it only reads the message), In reads them into a fresh message. So an encoder and its
// decoder cannot disagree about order, widths or string limits.
class Out {
 public:
  explicit Out(WireWriter& w) : w_(w) {}
  void u8(std::uint8_t v) { w_.u8(v); }
  void u16(std::uint16_t v) { w_.u16(v); }
  void u32(std::uint32_t v) { w_.u32(v); }
  void u64(std::uint64_t v) { w_.u64(v); }
  // Limits are the reader's: the C API validates inputs before they are encoded.
  void str(const std::string& s, std::size_t /*max_bytes*/) { w_.str(s); }
  // Optional trailing field: written only when set.
  void trailing_str(const std::optional<std::string>& s, std::size_t /*max_bytes*/) {
    if (s) w_.str(*s);
  }
  void str_list(const std::vector<std::string>& list, std::size_t /*max_count*/, std::size_t /*max_bytes*/) {
    w_.u16(static_cast<std::uint16_t>(list.size()));
    for (const auto& s : list) w_.str(s);
  }

 private:
  WireWriter& w_;
};

class In {
 public:
  explicit In(WireReader& r) : r_(r) {}
  void u8(std::uint8_t& v) { v = r_.u8(); }
  void u16(std::uint16_t& v) { v = r_.u16(); }
  void u32(std::uint32_t& v) { v = r_.u32(); }
  void u64(std::uint64_t& v) { v = r_.u64(); }
  void str(std::string& s, std::size_t max_bytes) { s = r_.str(max_bytes); }
  void trailing_str(std::optional<std::string>& s, std::size_t max_bytes) {
    if (r_.remaining() > 0) s = r_.str(max_bytes);
  }
  void str_list(std::vector<std::string>& list, std::size_t max_count, std::size_t max_bytes) {
    const std::uint16_t n = r_.u16();
    // Checked before anything is allocated: the count alone may not make the client reserve.
    if (n > max_count) {
      r_.fail();
      return;
    }
    for (std::uint16_t i = 0; i < n && r_.ok(); ++i) list.push_back(r_.str(max_bytes));
  }

 private:
  WireReader& r_;
};

// ---- client to router ----
template <class Io> void layout(Io& io, Hello& m) {
  io.u32(m.magic);
  io.u16(m.protocol_version);
  io.u16(m.e2ee_format_version);
  io.str(m.client_name, kMaxIdBytes);
}
template <class Io> void layout(Io& io, Connect& m) { io.str(m.token, kMaxStrBytes); }
template <class Io> void layout(Io& io, Publish& m) {
  io.u32(m.publish_id);
  io.str(m.name, kMaxIdBytes);
  io.u8(m.has_audio);
  io.u8(m.has_video);
  io.u8(m.video_codec);
  io.u8(m.audio_codec);
  io.u8(m.encrypted);
  io.trailing_str(m.resume_stream_id, kMaxIdBytes);
}
template <class Io> void layout(Io& io, Unpublish& m) { io.str(m.stream_id, kMaxIdBytes); }
template <class Io> void layout(Io& io, Subscribe& m) { io.str(m.stream_id, kMaxIdBytes); }
template <class Io> void layout(Io& io, Unsubscribe& m) { io.str(m.stream_id, kMaxIdBytes); }
template <class Io> void layout(Io& io, SignalOut& m) {
  io.str(m.to_connection_id, kMaxIdBytes);
  io.str(m.type, kMaxIdBytes);
  io.str(m.data, kMaxSignalDataBytes);
}
template <class Io> void layout(Io&, Disconnect&) {}

// ---- both directions ----
template <class Io> void layout(Io& io, KeyframeRequest& m) { io.str(m.stream_id, kMaxIdBytes); }
// The clear header of a MEDIA_FRAME; the payload and the offsets are handled by the callers.
template <class Io> void layout(Io& io, MediaFrame& m) {
  io.str(m.stream_id, kMaxIdBytes);
  io.u8(m.media);
  io.u8(m.codec);
  io.u8(m.flags);
  io.u64(m.timestamp_us);
  io.u32(m.sequence);
  io.u8(m.spatial_layer);
  io.u8(m.temporal_layer);
}

// ---- router to client ----
template <class Io> void layout(Io& io, HelloAck& m) {
  io.u16(m.protocol_version);
  io.u16(m.e2ee_format_version);
  io.str(m.router_name, kMaxIdBytes);
}
template <class Io> void layout(Io& io, Connected& m) {
  io.str(m.connection_id, kMaxIdBytes);
  io.str(m.session_id, kMaxIdBytes);
  io.u8(m.e2ee);
  io.u8(m.role);
  io.str(m.connection_data, kMaxStrBytes);
  io.u64(m.creation_time_ms);
}
template <class Io> void layout(Io& io, ConnectionCreated& m) {
  io.str(m.connection_id, kMaxIdBytes);
  io.str(m.connection_data, kMaxStrBytes);
  io.u64(m.creation_time_ms);
}
template <class Io> void layout(Io& io, ConnectionDropped& m) {
  io.str(m.connection_id, kMaxIdBytes);
  io.u8(m.reason);
}
template <class Io> void layout(Io& io, Published& m) {
  io.u32(m.publish_id);
  io.str(m.stream_id, kMaxIdBytes);
}
template <class Io> void layout(Io& io, StreamCreated& m) {
  io.str(m.stream_id, kMaxIdBytes);
  io.str(m.connection_id, kMaxIdBytes);
  io.str(m.name, kMaxIdBytes);
  io.u8(m.has_audio);
  io.u8(m.has_video);
  io.u8(m.video_codec);
  io.u8(m.audio_codec);
  io.u8(m.e2ee);
  io.u64(m.creation_time_ms);
}
template <class Io> void layout(Io& io, StreamDestroyed& m) {
  io.str(m.stream_id, kMaxIdBytes);
  io.u8(m.reason);
}
template <class Io> void layout(Io& io, Subscribed& m) { io.str(m.stream_id, kMaxIdBytes); }
template <class Io> void layout(Io& io, SignalIn& m) {
  io.str(m.from_connection_id, kMaxIdBytes);
  io.str(m.type, kMaxIdBytes);
  io.str(m.data, kMaxSignalDataBytes);
}
template <class Io> void layout(Io& io, Error& m) {
  io.u32(m.code);
  io.str(m.message, kMaxStrBytes);
  io.str(m.context, kMaxStrBytes);
}
template <class Io> void layout(Io& io, Disconnecting& m) {
  io.u32(m.code);
  io.str(m.message, kMaxStrBytes);
}
template <class Io> void layout(Io& io, Redirect& m) {
  io.str(m.url, kMaxUrlBytes);
  io.u8(m.reason);
}
template <class Io> void layout(Io& io, Nodes& m) { io.str_list(m.urls, kMaxNodes, kMaxUrlBytes); }

template <typename M>
std::vector<std::uint8_t> encode_as(MsgType type, const M& m) {
  std::vector<std::uint8_t> buf;
  WireWriter w = start(buf, type);
  Out out(w);
  layout(out, const_cast<M&>(m));  // Out only reads the fields
  finish_message(buf);
  return buf;
}

void read_media_frame(WireReader& r, MediaFrame& m, std::size_t msg_len) {
  m.metadata_offset = 1 + r.position();
  In in(r);
  layout(in, m);
  m.payload_offset = 1 + r.position();
  m.payload_len = r.ok() ? msg_len - m.payload_offset : 0;
}

// Reads a whole message of type M: every byte of the body must be consumed.
template <typename M, typename Variant>
DecodeStatus decode_as(WireReader& r, Variant& out) {
  M m;
  In in(r);
  layout(in, m);
  if (!r.finished()) return DecodeStatus::kMalformed;
  out = std::move(m);
  return DecodeStatus::kOk;
}

template <typename Variant>
DecodeStatus decode_media_frame(WireReader& r, Variant& out, std::size_t msg_len) {
  MediaFrame m;
  read_media_frame(r, m, msg_len);
  if (!r.ok()) return DecodeStatus::kMalformed;
  out = std::move(m);
  return DecodeStatus::kOk;
}

}  // namespace

void finish_message(std::vector<std::uint8_t>& buf) {
  put_u32_at(buf, 0, static_cast<std::uint32_t>(buf.size() - kLengthPrefix));
}

void begin_media_frame(std::vector<std::uint8_t>& buf, MediaFrame& h) {
  WireWriter w = start(buf, MsgType::kMediaFrame);
  h.metadata_offset = buf.size() - kLengthPrefix;
  Out out(w);
  layout(out, h);
  h.payload_offset = buf.size() - kLengthPrefix;
}

std::vector<std::uint8_t> encode_media_frame(MediaFrame h, const std::uint8_t* payload, std::size_t payload_len) {
  std::vector<std::uint8_t> buf;
  begin_media_frame(buf, h);
  buf.insert(buf.end(), payload, payload + payload_len);
  finish_message(buf);
  return buf;
}

std::vector<std::uint8_t> encode(const Hello& m) { return encode_as(MsgType::kHello, m); }
std::vector<std::uint8_t> encode(const Connect& m) { return encode_as(MsgType::kConnect, m); }
std::vector<std::uint8_t> encode(const Publish& m) { return encode_as(MsgType::kPublish, m); }
std::vector<std::uint8_t> encode(const Unpublish& m) { return encode_as(MsgType::kUnpublish, m); }
std::vector<std::uint8_t> encode(const Subscribe& m) { return encode_as(MsgType::kSubscribe, m); }
std::vector<std::uint8_t> encode(const Unsubscribe& m) { return encode_as(MsgType::kUnsubscribe, m); }
std::vector<std::uint8_t> encode(const KeyframeRequest& m) { return encode_as(MsgType::kKeyframeRequest, m); }
std::vector<std::uint8_t> encode(const SignalOut& m) { return encode_as(MsgType::kSignal, m); }
std::vector<std::uint8_t> encode(const Disconnect& m) { return encode_as(MsgType::kDisconnect, m); }
std::vector<std::uint8_t> encode(const HelloAck& m) { return encode_as(MsgType::kHelloAck, m); }
std::vector<std::uint8_t> encode(const Connected& m) { return encode_as(MsgType::kConnected, m); }
std::vector<std::uint8_t> encode(const ConnectionCreated& m) { return encode_as(MsgType::kConnectionCreated, m); }
std::vector<std::uint8_t> encode(const ConnectionDropped& m) { return encode_as(MsgType::kConnectionDropped, m); }
std::vector<std::uint8_t> encode(const Published& m) { return encode_as(MsgType::kPublished, m); }
std::vector<std::uint8_t> encode(const StreamCreated& m) { return encode_as(MsgType::kStreamCreated, m); }
std::vector<std::uint8_t> encode(const StreamDestroyed& m) { return encode_as(MsgType::kStreamDestroyed, m); }
std::vector<std::uint8_t> encode(const Subscribed& m) { return encode_as(MsgType::kSubscribed, m); }
std::vector<std::uint8_t> encode(const SignalIn& m) { return encode_as(MsgType::kSignal, m); }
std::vector<std::uint8_t> encode(const Error& m) { return encode_as(MsgType::kError, m); }
std::vector<std::uint8_t> encode(const Disconnecting& m) { return encode_as(MsgType::kDisconnecting, m); }
std::vector<std::uint8_t> encode(const Redirect& m) { return encode_as(MsgType::kRedirect, m); }
std::vector<std::uint8_t> encode(const Nodes& m) { return encode_as(MsgType::kNodes, m); }

DecodeStatus decode_router_message(const std::uint8_t* msg, std::size_t len, RouterMessage& out) {
  if (len == 0) return DecodeStatus::kEmpty;
  WireReader r(msg + 1, len - 1);
  switch (static_cast<MsgType>(msg[0])) {
    case MsgType::kHelloAck: return decode_as<HelloAck>(r, out);
    case MsgType::kConnected: return decode_as<Connected>(r, out);
    case MsgType::kConnectionCreated: return decode_as<ConnectionCreated>(r, out);
    case MsgType::kConnectionDropped: return decode_as<ConnectionDropped>(r, out);
    case MsgType::kPublished: return decode_as<Published>(r, out);
    case MsgType::kStreamCreated: return decode_as<StreamCreated>(r, out);
    case MsgType::kStreamDestroyed: return decode_as<StreamDestroyed>(r, out);
    case MsgType::kSubscribed: return decode_as<Subscribed>(r, out);
    case MsgType::kMediaFrame: return decode_media_frame(r, out, len);
    case MsgType::kKeyframeRequest: return decode_as<KeyframeRequest>(r, out);
    case MsgType::kSignal: return decode_as<SignalIn>(r, out);
    case MsgType::kError: return decode_as<Error>(r, out);
    case MsgType::kDisconnecting: return decode_as<Disconnecting>(r, out);
    case MsgType::kRedirect: return decode_as<Redirect>(r, out);
    case MsgType::kNodes: return decode_as<Nodes>(r, out);
    default: return DecodeStatus::kUnknownType;
  }
}

DecodeStatus decode_client_message(const std::uint8_t* msg, std::size_t len, ClientMessage& out) {
  if (len == 0) return DecodeStatus::kEmpty;
  WireReader r(msg + 1, len - 1);
  switch (static_cast<MsgType>(msg[0])) {
    case MsgType::kHello: return decode_as<Hello>(r, out);
    case MsgType::kConnect: return decode_as<Connect>(r, out);
    case MsgType::kPublish: return decode_as<Publish>(r, out);
    case MsgType::kUnpublish: return decode_as<Unpublish>(r, out);
    case MsgType::kSubscribe: return decode_as<Subscribe>(r, out);
    case MsgType::kUnsubscribe: return decode_as<Unsubscribe>(r, out);
    case MsgType::kMediaFrame: return decode_media_frame(r, out, len);
    case MsgType::kKeyframeRequest: return decode_as<KeyframeRequest>(r, out);
    case MsgType::kSignal: return decode_as<SignalOut>(r, out);
    case MsgType::kDisconnect: return decode_as<Disconnect>(r, out);
    default: return DecodeStatus::kUnknownType;
  }
}

}  // namespace otc::client::wire
