/*
 * A publisher: the SDK encodes the raw frames of a video capturer (otc/video_capturer.h) and of
 * the audio device (otc/audio_device.h), or the application pushes frames it encoded itself
 * (otc_publisher_send_frame); the SDK encrypts them (in an E2EE session) and sends them to the
 * router once the publisher is published with otc_session_publish.
 *
 * Callbacks run on the owning session's SDK callback thread, in order, never re-entrantly for the
 * same publisher. Any SDK function, including otc_publisher_delete and otc_session_unpublish,
 * may be called from inside a callback. Before otc_session_publish, no callback is made.
 */
#ifndef OTC_PUBLISHER_H
#define OTC_PUBLISHER_H

#include "config.h"
#include "errors.h"
#include "media.h"
#include "stream.h"
#include "video_capturer.h"

OTC_BEGIN_DECLS

typedef struct otc_publisher otc_publisher;
typedef struct otc_publisher_settings otc_publisher_settings;

struct otc_publisher_callbacks {
  /* The router accepted the stream; `stream` is valid during the call only. */
  void (*on_stream_created)(otc_publisher* publisher, void* user_data, const otc_stream* stream);
  /* The stream ended (unpublished, session disconnected or dropped). */
  void (*on_stream_destroyed)(otc_publisher* publisher, void* user_data, const otc_stream* stream);
  /*
   * An error, e.g. OTC_SESSION_ENCRYPTION_SECRET_MISSING (publish in an E2EE session without a
   * secret; the stream is not created; a session code, as in OpenTok: compare as int), OTC_PUBLISHER_ENCRYPTION_INTERNAL_ERROR,
   * OTC_SESSION_PERMISSION_DENIED, OTC_SESSION_UNENCRYPTED_FRAME_REFUSED. `error_string` is
   * valid during the call only and never contains key material.
   */
  void (*on_error)(otc_publisher* publisher, void* user_data, const char* error_string,
                   enum otc_publisher_error_code error);
  /*
   * A subscriber, the router, or the SDK itself (after dropping video for congestion) asks for a
   * keyframe: encode the next video frame as a keyframe. With a video capturer the SDK's encoder
   * already does so by itself (this call is then for information only).
   */
  void (*on_keyframe_requested)(otc_publisher* publisher, void* user_data);
  void* user_data;
  void* reserved;
};

/* Defaults: audio and video, VP8 and Opus. NULL when out of memory. */
OTC_API otc_publisher_settings* otc_publisher_settings_new(void);
/* Frees the settings. OTC_SUCCESS; NULL is a no-op. */
OTC_API otc_status otc_publisher_settings_delete(otc_publisher_settings* settings);
OTC_API otc_status otc_publisher_settings_set_audio_track(otc_publisher_settings* settings, otc_bool enabled);
OTC_API otc_status otc_publisher_settings_set_video_track(otc_publisher_settings* settings, otc_bool enabled);
/* OTC_PUBLISHER_UNSUPPORTED_CODEC unless VP8, VP9 or H.264. */
OTC_API otc_status otc_publisher_settings_set_video_codec(otc_publisher_settings* settings, int codec);
/* OTC_PUBLISHER_UNSUPPORTED_CODEC unless Opus. */
OTC_API otc_status otc_publisher_settings_set_audio_codec(otc_publisher_settings* settings, int codec);
/*
 * Target bitrate of the SDK's video encoder, in bits per second (50 000 .. 20 000 000; default
 * 0: chosen from the capture size and frame rate, about 0.1 bit per pixel per frame). Ours: no
 * counterpart in the OpenTok Linux SDK. Ignored for frames sent with otc_publisher_send_frame.
 */
OTC_API otc_status otc_publisher_settings_set_video_bitrate(otc_publisher_settings* settings, int bits_per_second);

/* The name shown to subscribers (UTF-8, at most 1024 bytes); it takes precedence over otc_publisher_new's `name`. */
OTC_API otc_status otc_publisher_settings_set_name(otc_publisher_settings* settings, const char* name);

/*
 * A new publisher (the OpenTok Linux SDK's signature). `name` (UTF-8, at most 1024 bytes;
 * NULL = "") is shown to subscribers. `video_capturer` (copied) is the source of raw video, whose
 * init and get_capture_settings run before this returns (otc/video_capturer.h); NULL means the
 * application sends encoded video itself with otc_publisher_send_frame. `callbacks` is copied.
 * Audio, when the publisher has an audio track, comes from the audio device (otc/audio_device.h)
 * if one is set, else from otc_publisher_send_frame. NULL on invalid arguments, a capturer whose
 * init or get_capture_settings fails, or out of memory.
 */
OTC_API otc_publisher* otc_publisher_new(const char* name,
                                         const struct otc_video_capturer_callbacks* video_capturer,
                                         const struct otc_publisher_callbacks* callbacks);
/* As otc_publisher_new, with `settings` (NULL = defaults; not retained). */
OTC_API otc_publisher* otc_publisher_new_with_settings(const char* name,
                                         const struct otc_video_capturer_callbacks* video_capturer,
                                         const struct otc_publisher_callbacks* callbacks,
                                         const otc_publisher_settings* settings);

/*
 * Unpublishes if needed and releases the handle. Safe from inside any callback and in any order
 * relative to the session's deletion; no callback for this publisher starts after it returns
 * (one already running on another thread finishes). NULL is a no-op.
 */
OTC_API otc_status otc_publisher_delete(otc_publisher* publisher);

/*
 * Sends one encoded frame (encrypting it on the calling thread in an E2EE session).
 * Congestion: when more than 8 MiB already wait for the socket (a router that stopped reading),
 * the frame is dropped instead of queued, still with OTC_SUCCESS but not counted in
 * frames_sent; after a dropped video frame, video frames are dropped until the application sends
 * a keyframe, which on_keyframe_requested asks for. Memory stays bounded. While the session
 * reconnects (session on_reconnection_started until this stream is live again) frames are dropped
 * the same way before encryption (nothing is sent, OTC_SUCCESS, not counted). Returns
 * OTC_SUCCESS once queued; OTC_ERR_INVALID_STATE before the stream is created or after it ended;
 * OTC_ERR_INVALID_PARAM for a NULL frame/data, an oversized payload, a layer outside 0..255;
 * OTC_PUBLISHER_UNSUPPORTED_CODEC for a codec that is not the stream's codec of that media type;
 * OTC_SESSION_ENCRYPTION_SECRET_MISSING; OTC_SESSION_E2EE_DOWNGRADE (the session holds a secret
 * or requires E2EE but the router called it plain: the frame is not sent); OTC_FRAME_COUNTER_EXHAUSTED (2^64 frames under one
 * secret: set a new one); OTC_PUBLISHER_ENCRYPTION_INTERNAL_ERROR (these two also through
 * on_error). May be called from any one thread at a time per publisher.
 */
OTC_API otc_status otc_publisher_send_frame(otc_publisher* publisher, const otc_media_frame* frame);

/*
 * Whether captured video / audio-device audio is sent (default: yes). While disabled, captured
 * frames are dropped before encoding; when video is enabled again, the next frame is a keyframe.
 * OTC_ERR_INVALID_STATE when the publisher has no such track.
 */
OTC_API otc_status otc_publisher_set_publish_video(otc_publisher* publisher, otc_bool publish_video);
OTC_API otc_status otc_publisher_set_publish_audio(otc_publisher* publisher, otc_bool publish_audio);

/* Router-assigned stream id, copied into `out` (NUL-terminated); OTC_ERR_INVALID_STATE when not published. */
OTC_API otc_status otc_publisher_get_stream_id(const otc_publisher* publisher, char* out, size_t out_capacity);

typedef struct otc_publisher_stats {
  size_t struct_size;              /* set by the caller: sizeof(otc_publisher_stats) (OTC_PUBLISHER_STATS_INIT); see config.h */
  uint64_t frames_sent;          /* accepted by send_frame and queued to the router */
  uint64_t bytes_sent;           /* payload bytes on the wire (ciphertext in an E2EE session) */
  uint64_t frames_encrypted;
  uint64_t encryption_failed;
  uint64_t keyframe_requests;    /* KEYFRAME_REQUEST messages received */
  /* New members are only ever added at the end. The SDK's own encoders (capturer, audio device): */
  uint64_t video_frames_captured;        /* taken by otc_video_capturer_provide_frame while live */
  uint64_t video_frames_dropped_capture; /* dropped before encoding: the encoder fell behind */
  uint64_t video_frames_encoded;
  uint64_t video_keyframes_encoded;
  uint64_t video_bytes_encoded;          /* encoded size, before encryption */
  uint64_t audio_frames_encoded;         /* 20 ms Opus frames */
  /* Time spent in the video encoder, summed over its calls (wall clock on the media worker that
   * runs it), microseconds: divided by video_frames_encoded, the encode cost per frame. */
  uint64_t video_encode_time_us;
} otc_publisher_stats;
#define OTC_PUBLISHER_STATS_INIT OTC_SIZED_INIT(otc_publisher_stats)

OTC_API otc_status otc_publisher_get_stats(const otc_publisher* publisher, otc_publisher_stats* stats);

OTC_END_DECLS

#endif /* OTC_PUBLISHER_H */
