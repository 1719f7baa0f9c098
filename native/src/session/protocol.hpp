// Messages of the router protocol, version 1 (docs/PROTOCOL.md, normative), with encoders and
// decoders for both directions: the client uses one half, tests use the other to play the
// router's part byte for byte.
//
// Framing: every encoded message starts with its u32 big-endian length (type + body). Decoders
// take the bytes after that prefix (type first) and fail on a body that is short, has bytes left
// over, holds a string that is not UTF-8 or exceeds the protocol's limits.
#ifndef OTC_SRC_SESSION_PROTOCOL_HPP
#define OTC_SRC_SESSION_PROTOCOL_HPP

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace otc::client::wire {

constexpr std::uint32_t kMagic = 0x4F544350;  // "OTCP"
constexpr std::uint16_t kProtocolVersion = 1;
constexpr std::uint32_t kMaxMessageLength = 4u * 1024u * 1024u;
constexpr std::size_t kLengthPrefix = 4;
constexpr std::size_t kMaxIdBytes = 1024;       // names, types, ids
constexpr std::size_t kMaxSignalDataBytes = 8192;
constexpr std::size_t kMaxStrBytes = 65535;
// REDIRECT and NODES (sec. "Client: redirect and reconnection"): a media URL is at most 256 bytes
// and a NODES list names at most 64 of them, so a hostile router cannot make the client hold more.
constexpr std::size_t kMaxUrlBytes = 256;
constexpr std::size_t kMaxNodes = 64;
// REDIRECT reasons.
constexpr std::uint8_t kRedirectNotOwner = 1;  // instead of CONNECTED: the session lives on another node
constexpr std::uint8_t kRedirectDraining = 2;  // after CONNECTED: this node is draining, move

enum class MsgType : std::uint8_t {
  kHello = 0x01,
  kConnect = 0x02,
  kPublish = 0x03,
  kUnpublish = 0x04,
  kSubscribe = 0x05,
  kUnsubscribe = 0x06,
  kMediaFrame = 0x07,
  kKeyframeRequest = 0x08,
  kSignal = 0x09,
  kDisconnect = 0x0A,
  kHelloAck = 0x81,
  kConnected = 0x82,
  kConnectionCreated = 0x83,
  kConnectionDropped = 0x84,
  kPublished = 0x85,
  kStreamCreated = 0x86,
  kStreamDestroyed = 0x87,
  kSubscribed = 0x88,
  kError = 0x8E,
  kDisconnecting = 0x8F,
  kRedirect = 0x90,
  kNodes = 0x91,
};

// MEDIA_FRAME flag bits (sec. 4).
constexpr std::uint8_t kFlagKeyframe = 0x01;
constexpr std::uint8_t kFlagEncrypted = 0x02;

// ---- client to router ----
struct Hello {
  std::uint32_t magic = kMagic;
  std::uint16_t protocol_version = kProtocolVersion;
  std::uint16_t e2ee_format_version = 1;
  std::string client_name;
};
struct Connect { std::string token; };
struct Publish {
  std::uint32_t publish_id = 0;
  std::string name;
  std::uint8_t has_audio = 0, has_video = 0, video_codec = 0, audio_codec = 0, encrypted = 0;
  // Optional trailing field: the stream id this publisher had before a reconnection (empty = a
  // new stream). Written only when set: the client sets it only when resuming, so a first
  // PUBLISH stays the 7-field message every router version accepts.
  std::optional<std::string> resume_stream_id;
};
struct Unpublish { std::string stream_id; };
struct Subscribe { std::string stream_id; };
struct Unsubscribe { std::string stream_id; };
struct SignalOut { std::string to_connection_id, type, data; };
struct Disconnect {};

// ---- both directions ----
struct KeyframeRequest { std::string stream_id; };

// The fields of a MEDIA_FRAME before its payload. Offsets are into the decoded message (type byte
// at offset 0): the metadata the frame cryptor authenticates is [metadata_offset, payload_offset).
struct MediaFrame {
  std::string stream_id;
  std::uint8_t media = 0, codec = 0, flags = 0;
  std::uint64_t timestamp_us = 0;
  std::uint32_t sequence = 0;
  std::uint8_t spatial_layer = 0, temporal_layer = 0;
  std::size_t metadata_offset = 0;
  std::size_t payload_offset = 0;
  std::size_t payload_len = 0;
};

// ---- router to client ----
struct HelloAck {
  std::uint16_t protocol_version = 0, e2ee_format_version = 0;
  std::string router_name;
};
struct Connected {
  std::string connection_id, session_id;
  std::uint8_t e2ee = 0, role = 0;
  std::string connection_data;
  std::uint64_t creation_time_ms = 0;
};
struct ConnectionCreated {
  std::string connection_id, connection_data;
  std::uint64_t creation_time_ms = 0;
};
struct ConnectionDropped { std::string connection_id; std::uint8_t reason = 0; };
struct Published { std::uint32_t publish_id = 0; std::string stream_id; };
struct StreamCreated {
  std::string stream_id, connection_id, name;
  std::uint8_t has_audio = 0, has_video = 0, video_codec = 0, audio_codec = 0, e2ee = 0;
  std::uint64_t creation_time_ms = 0;
};
struct StreamDestroyed { std::string stream_id; std::uint8_t reason = 0; };
struct Subscribed { std::string stream_id; };
struct SignalIn { std::string from_connection_id, type, data; };
struct Error { std::uint32_t code = 0; std::string message, context; };
struct Disconnecting { std::uint32_t code = 0; std::string message; };
struct Redirect { std::string url; std::uint8_t reason = 0; };
struct Nodes { std::vector<std::string> urls; };

using RouterMessage = std::variant<HelloAck, Connected, ConnectionCreated, ConnectionDropped, Published,
                                   StreamCreated, StreamDestroyed, Subscribed, MediaFrame, KeyframeRequest,
                                   SignalIn, Error, Disconnecting, Redirect, Nodes>;
using ClientMessage = std::variant<Hello, Connect, Publish, Unpublish, Subscribe, Unsubscribe, MediaFrame,
                                   KeyframeRequest, SignalOut, Disconnect>;

enum class DecodeStatus {
  kOk,
  kEmpty,        // no type byte
  kUnknownType,  // a type this direction does not know
  kMalformed,    // short body, bytes left over, bad UTF-8, a string above its limit
};

// Whether a length prefix is acceptable (1 .. 4 MiB).
inline bool valid_length(std::uint32_t len) { return len >= 1 && len <= kMaxMessageLength; }

DecodeStatus decode_router_message(const std::uint8_t* msg, std::size_t len, RouterMessage& out);
DecodeStatus decode_client_message(const std::uint8_t* msg, std::size_t len, ClientMessage& out);

// Encoders return the framed message (length prefix included). Inputs above the protocol's
// limits are the caller's responsibility (the C API validates them before encoding).
std::vector<std::uint8_t> encode(const Hello& m);
std::vector<std::uint8_t> encode(const Connect& m);
std::vector<std::uint8_t> encode(const Publish& m);
std::vector<std::uint8_t> encode(const Unpublish& m);
std::vector<std::uint8_t> encode(const Subscribe& m);
std::vector<std::uint8_t> encode(const Unsubscribe& m);
std::vector<std::uint8_t> encode(const KeyframeRequest& m);
std::vector<std::uint8_t> encode(const SignalOut& m);
std::vector<std::uint8_t> encode(const Disconnect& m);
std::vector<std::uint8_t> encode(const HelloAck& m);
std::vector<std::uint8_t> encode(const Connected& m);
std::vector<std::uint8_t> encode(const ConnectionCreated& m);
std::vector<std::uint8_t> encode(const ConnectionDropped& m);
std::vector<std::uint8_t> encode(const Published& m);
std::vector<std::uint8_t> encode(const StreamCreated& m);
std::vector<std::uint8_t> encode(const StreamDestroyed& m);
std::vector<std::uint8_t> encode(const Subscribed& m);
std::vector<std::uint8_t> encode(const SignalIn& m);
std::vector<std::uint8_t> encode(const Error& m);
std::vector<std::uint8_t> encode(const Disconnecting& m);
std::vector<std::uint8_t> encode(const Redirect& m);
std::vector<std::uint8_t> encode(const Nodes& m);

// MEDIA_FRAME in two steps so the payload (ciphertext) can be written straight into the message:
// begin writes the length placeholder and the fields up to temporal_layer into `buf` (cleared
// first) and fills header.metadata_offset/payload_offset relative to the type byte; the caller
// appends the payload and calls finish_message. With header.flags as given.
void begin_media_frame(std::vector<std::uint8_t>& buf, MediaFrame& header);
void finish_message(std::vector<std::uint8_t>& buf);
// Convenience: a whole MEDIA_FRAME with a given payload.
std::vector<std::uint8_t> encode_media_frame(MediaFrame header, const std::uint8_t* payload, std::size_t payload_len);

}  // namespace otc::client::wire

#endif
