/*
 * A subscriber: receives one stream's frames, decrypts them (in an E2EE session) and hands the
 * plaintext to on_frame (encoded), and/or decodes them: video to on_render_frame, audio to the
 * audio device (otc/audio_device.h). Frames that cannot be decrypted are never delivered or decoded.
 *
 * Decoding (docs/ARCHITECTURE.md, "Media pipeline"): decrypted frames of one stream are decoded in
 * order on a media worker thread (shared pool, never the I/O or the callback thread), so a slow
 * decoder of one stream does not hold up another stream's callbacks; on_render_frame runs on the
 * session's callback thread. After any gap in a stream's sequence numbers (a dropped frame, a
 * frame that did not decrypt) and at start, the decoder waits for a keyframe and asks the
 * publisher for one, so no corrupt picture is ever rendered. (Audio and video share the stream's
 * sequence, and audio may overtake queued video at the router: that is not a gap.) A stream whose video codec this
 * subscriber does not decode gets OTC_SUBSCRIBER_UNSUPPORTED_CODEC through on_error once; its
 * video frames are then dropped (on_frame still receives them).
 *
 * Callbacks run on the owning session's SDK callback thread, in order, never re-entrantly for the
 * same subscriber; any SDK function (including otc_subscriber_delete) may be called from inside.
 *
 * Frames are decrypted on the SDK's decryption workers (min(hardware threads, 4) per process), one
 * stream's frames in arrival order, several streams at once; only delivery runs on the callback
 * thread. A slow on_frame of one subscriber therefore does not hold up the decryption of the
 * others' frames, but it does hold up their delivery: callbacks of a session never overlap.
 *
 * Secret mismatch, match and rotation (docs/ARCHITECTURE.md sec. 5-6):
 * - A frame whose key names no secret this session holds is a mismatch. Such frames are not
 *   dropped at once: they wait in a small hold buffer (at most OTC_SUBSCRIBER_HOLD_MAX_FRAMES
 *   frames and OTC_SUBSCRIBER_HOLD_MAX_BYTES bytes, each for at most min(grace period,
 *   OTC_SUBSCRIBER_HOLD_MAX_MS)), because during a rotation a publisher that switched a little
 *   earlier than this subscriber sends frames under the new secret; when the application sets
 *   the new secret, the held frames are retried in order and delivered, so nobody who switches
 *   within the grace period loses a frame.
 * - When a held frame expires or is pushed out of the full buffer still undecryptable, the
 *   subscriber reports OTC_SUBSCRIBER_ENCRYPTION_SECRET_MISMATCH through on_error, once per
 *   transition into failure (the message names the stream id); further mismatched frames are
 *   counted but not reported again.
 * - The first frame that decrypts after a reported mismatch fires on_encryption_secret_match
 *   once, and the SDK sends a keyframe request to the publisher so video recovers at once.
 * - While frames are held, later frames of the stream queue behind them, so frames are always
 *   delivered in arrival order; the buffer is retried from its head whenever a frame arrives,
 *   the secret changes, or the head expires. A stream is thus delayed at most by the hold limit.
 * - Frames failing for another reason (authentication, replay, malformed) are dropped at once and
 *   counted; they are not held and do not count as a mismatch.
 */
#ifndef OTC_SUBSCRIBER_H
#define OTC_SUBSCRIBER_H

#include "config.h"
#include "errors.h"
#include "media.h"
#include "stream.h"
#include "video_frame.h"

OTC_BEGIN_DECLS

#define OTC_SUBSCRIBER_HOLD_MAX_FRAMES 128u
#define OTC_SUBSCRIBER_HOLD_MAX_BYTES (8u * 1024u * 1024u)
#define OTC_SUBSCRIBER_HOLD_MAX_MS 2000u
/*
 * Bounded memory whatever the router sends (a slow on_frame must not make the client buffer
 * without limit): frames received and not yet delivered (waiting for decryption, or decrypted and
 * waiting for the callback thread) are bounded per subscriber and per session, in frames and
 * bytes; frames refused by decryption leave at once. When a frame does not fit:
 * - video: it is dropped, and so is every later video frame of the stream until a keyframe fits;
 *   the SDK sends one keyframe request per such episode (keyframe_requests_sent);
 * - audio: the oldest queued audio frames of the stream are dropped to make room (then the new
 *   frame, if it still does not fit).
 * Frames of senders the session has not admitted yet (unknown KID, e.g. forged) wait within a
 * bound of their own, OTC_FRAME_CRYPTOR_NEW_SENDER_BURST distinct KIDs, and are dropped beyond it
 * without affecting other frames.
 * Dropped frames are counted in frames_dropped_queue. The socket reader never buffers more than
 * one message (at most 4 MiB) beyond these bounds.
 */
#define OTC_SUBSCRIBER_QUEUE_MAX_FRAMES 256u
#define OTC_SUBSCRIBER_QUEUE_MAX_BYTES (16u * 1024u * 1024u)
#define OTC_SESSION_QUEUE_MAX_FRAMES 1024u
#define OTC_SESSION_QUEUE_MAX_BYTES (64u * 1024u * 1024u)
/*
 * Decoding has bounds of its own: at most OTC_SUBSCRIBER_DECODE_MAX_FRAMES decrypted frames wait
 * for a stream's decoder (beyond, the oldest is dropped and the decoder skips to the next
 * keyframe, counted in video_frames_skipped), and at most OTC_SUBSCRIBER_MAX_PENDING_PICTURES
 * decoded pictures wait for on_render_frame (beyond, the oldest waiting picture is dropped, so
 * live video always shows the newest; counted in video_frames_dropped_render, and the stream's
 * decoding is not affected).
 */
#define OTC_SUBSCRIBER_DECODE_MAX_FRAMES 32u
#define OTC_SUBSCRIBER_MAX_PENDING_PICTURES 4u

typedef struct otc_subscriber otc_subscriber;

struct otc_subscriber_callbacks {
  /* The router confirmed the subscription; `stream` is valid during the call only. */
  void (*on_connected)(otc_subscriber* subscriber, void* user_data, const otc_stream* stream);
  /* The subscription ended (unsubscribed, stream destroyed, session disconnected or dropped). */
  void (*on_disconnected)(otc_subscriber* subscriber, void* user_data);
  /* One decrypted frame; `frame` and its data are valid during the call only. */
  void (*on_frame)(otc_subscriber* subscriber, void* user_data, const otc_media_frame* frame);
  /*
   * An error, e.g. OTC_SUBSCRIBER_ENCRYPTION_SECRET_MISSING (subscribe in an E2EE session without
   * a secret; not subscribed), OTC_SUBSCRIBER_ENCRYPTION_SECRET_MISMATCH,
   * OTC_SUBSCRIBER_DECRYPTION_INTERNAL_ERROR, OTC_STREAM_NOT_FOUND, OTC_SESSION_PERMISSION_DENIED.
   */
  void (*on_error)(otc_subscriber* subscriber, void* user_data, const char* error_string,
                   enum otc_subscriber_error_code error);
  /* Frames decrypt again after a reported mismatch (once per recovery). */
  void (*on_encryption_secret_match)(otc_subscriber* subscriber, void* user_data);
  /*
   * One decoded video frame (I420); `frame` is valid during the call only (otc_video_frame_copy
   * to keep it). When NULL, video is not decoded at all.
   */
  void (*on_render_frame)(otc_subscriber* subscriber, void* user_data, const otc_video_frame* frame);
  void* user_data;
  void* reserved;
};

/*
 * A subscriber for `stream` (copied; the caller keeps ownership of its pointer). `callbacks` is
 * copied. Subscribe it with otc_session_subscribe. NULL on invalid arguments or out of memory.
 */
OTC_API otc_subscriber* otc_subscriber_new(const otc_stream* stream,
                                           const struct otc_subscriber_callbacks* callbacks);

/*
 * Unsubscribes if needed and releases the handle. Safe from inside any callback and in any order
 * relative to the session's deletion; no callback for this subscriber starts after it returns.
 * NULL is a no-op.
 */
OTC_API otc_status otc_subscriber_delete(otc_subscriber* subscriber);

/* The subscriber's own copy of its stream, valid as long as the subscriber. */
OTC_API const otc_stream* otc_subscriber_get_stream(const otc_subscriber* subscriber);

/*
 * Whether this subscriber decodes and renders the stream's video / plays its audio through the
 * audio device (default: yes). Frames still arrive and are decrypted (and given to on_frame);
 * when video is enabled again the decoder waits for a keyframe and asks for one at once.
 */
OTC_API otc_status otc_subscriber_set_subscribe_to_video(otc_subscriber* subscriber, otc_bool subscribe_to_video);
OTC_API otc_status otc_subscriber_set_subscribe_to_audio(otc_subscriber* subscriber, otc_bool subscribe_to_audio);

/*
 * Ours (no OpenTok counterpart): the video codecs this subscriber decodes, a subset of what the
 * build decodes (default: all of VP8, VP9, H.264). For an application that must not run a codec
 * (licensing, CPU): a stream in another codec gets OTC_SUBSCRIBER_UNSUPPORTED_CODEC once, exactly
 * as a codec missing from the build would. Call before otc_session_subscribe; `count` 0 decodes
 * no video. OTC_ERR_INVALID_PARAM for a non-video codec; OTC_ERR_INVALID_STATE once subscribed.
 */
OTC_API otc_status otc_subscriber_set_video_codecs(otc_subscriber* subscriber, const int* codecs, size_t count);

/* Asks the stream's publisher for a keyframe; OTC_ERR_INVALID_STATE when not subscribed. */
OTC_API otc_status otc_subscriber_request_keyframe(otc_subscriber* subscriber);

typedef struct otc_subscriber_stats {
  size_t struct_size;              /* set by the caller: sizeof(otc_subscriber_stats) (OTC_SUBSCRIBER_STATS_INIT); see config.h */
  uint64_t frames_received;        /* MEDIA_FRAME messages received for this stream */
  uint64_t frames_decrypted;       /* decrypted successfully (E2EE), including held frames recovered */
  uint64_t frames_delivered;       /* handed to on_frame */
  uint64_t failed_secret_mismatch; /* dropped: no held secret could decrypt them (expired/overflowed in the hold buffer) */
  uint64_t failed_authentication;  /* known secret, tag did not verify */
  uint64_t failed_replayed;        /* counter seen before or too old */
  uint64_t failed_malformed;       /* not a valid SFrame frame (or encrypted in a plain session) */
  uint64_t failed_internal;        /* crypto engine failure */
  uint64_t frames_held;            /* waited in the hold buffer: no held secret decrypted them yet */
  uint64_t frames_recovered;       /* held frames that decrypted after a secret change */
  uint64_t mismatch_events;        /* OTC_SUBSCRIBER_ENCRYPTION_SECRET_MISMATCH reports */
  uint64_t match_events;           /* on_encryption_secret_match calls */
  uint64_t keyframe_requests_sent;
  /* New members are only ever added at the end. */
  /* Unencrypted frames dropped: in an E2EE session, or while this client holds a secret or
   * requires E2EE (never delivered, whatever the router says). */
  uint64_t failed_unencrypted;
  /* Dropped before processing: the queue for the application was full (see the bounds above). */
  uint64_t frames_dropped_queue;
  /* Highest number of bytes this subscriber ever had queued (at most OTC_SUBSCRIBER_QUEUE_MAX_BYTES). */
  uint64_t queued_bytes_max;
  /* This subscriber's share of the new-sender budget (otc/frame_cryptor.h): key derivations for
   * senders not yet authenticated, and frames of unknown senders refused unopened because the
   * budget was spent (also counted in failed_authentication). */
  uint64_t new_sender_derivations;
  uint64_t new_sender_refused;
  /* Decoding (on_render_frame, audio device). */
  uint64_t video_frames_decoded;
  uint64_t video_frames_rendered;       /* on_render_frame calls */
  uint64_t video_frames_skipped;        /* not decoded: waiting for a keyframe after a gap, or unsupported codec */
  uint64_t video_decode_errors;         /* the decoder refused a frame (then waits for a keyframe) */
  uint64_t audio_frames_decoded;
  /* Time spent in the video decoder, summed over its calls (wall clock on the media worker that
   * runs it), microseconds: divided by video_frames_decoded, the decode cost per frame. */
  uint64_t video_decode_time_us;
  /* Decoded pictures never handed to on_render_frame: OTC_SUBSCRIBER_MAX_PENDING_PICTURES were
   * waiting when a newer one was decoded (the application's callbacks are not keeping up), and
   * the oldest waiting one made room. The picture is dropped, not the stream (decoding goes on
   * from the same state), so rendering catches up with the newest picture. */
  uint64_t video_frames_dropped_render;
} otc_subscriber_stats;
#define OTC_SUBSCRIBER_STATS_INIT OTC_SIZED_INIT(otc_subscriber_stats)

OTC_API otc_status otc_subscriber_get_stats(const otc_subscriber* subscriber, otc_subscriber_stats* stats);

OTC_END_DECLS

#endif /* OTC_SUBSCRIBER_H */
