/*
 * A video capturer: the application's source of raw video for a publisher, in the OpenTok Linux
 * SDK's shape. The application fills a otc_video_capturer_callbacks struct and passes it to
 * otc_publisher_new; the SDK then calls the callbacks below and the application hands it frames
 * with otc_video_capturer_provide_frame from a thread of its own. The SDK converts each frame to
 * I420, encodes it on a media worker thread with the publisher's video codec (VP8, VP9 or H.264)
 * and sends it like a frame given to otc_publisher_send_frame (encrypted in an E2EE session).
 *
 * When the callbacks run (the same order for every publisher):
 * - init, then get_capture_settings: inside otc_publisher_new, on the calling thread. init
 *   receives the capturer handle to keep for otc_video_capturer_provide_frame; if it returns
 *   OTC_FALSE, otc_publisher_new fails (returns NULL) and destroy is called.
 * - start: on the session's callback thread, when the published stream goes live (just before
 *   on_stream_created); again after each re-publish.
 * - stop: when the stream ends (unpublished, session disconnected, publisher deleted), on the
 *   thread that ends it (the callback thread or the application's thread calling
 *   otc_publisher_delete). Only after a start. A session deleted while its publisher lives does
 *   not stop the capturer: frames it provides are refused, and stop comes at the latest inside
 *   otc_publisher_delete.
 * - destroy: inside otc_publisher_delete, on the calling thread, after stop.
 * A capturer callback must not call otc_publisher_delete on its own publisher.
 */
#ifndef OTC_VIDEO_CAPTURER_H
#define OTC_VIDEO_CAPTURER_H

#include "config.h"
#include "errors.h"
#include "video_frame.h"

OTC_BEGIN_DECLS

typedef struct otc_video_capturer otc_video_capturer;

/*
 * What the capturer delivers. `format` (otc_video_frame_format), `width` and `height` describe the
 * frames it will provide (frames of another size are accepted too: the encoder follows the size of
 * each frame); `fps` (1..60) is the frame rate the encoder's rate control plans for;
 * `expected_delay` (ms) and `mirror_on_local_render` are informational here (no local renderer).
 */
struct otc_video_capturer_settings {
  int format;
  int width;
  int height;
  int fps;
  int expected_delay;
  otc_bool mirror_on_local_render;
};

struct otc_video_capturer_callbacks {
  otc_bool (*init)(const otc_video_capturer* capturer, void* user_data);
  otc_bool (*destroy)(const otc_video_capturer* capturer, void* user_data);
  otc_bool (*start)(const otc_video_capturer* capturer, void* user_data);
  otc_bool (*stop)(const otc_video_capturer* capturer, void* user_data);
  /* Required: fills `settings` (the SDK pre-fills 640x360 I420 at 30 fps). */
  otc_bool (*get_capture_settings)(const otc_video_capturer* capturer, void* user_data,
                                   struct otc_video_capturer_settings* settings);
  void* user_data;
  void* reserved;
};

/*
 * Hands one raw frame (any format of otc/video_frame.h) to the publisher; it is converted into an
 * I420 copy before this returns, so the caller may reuse or delete it at once. `rotation` must be
 * 0: this SDK does not rotate frames (any other value: OTC_ERR_NOT_SUPPORTED). Encoding happens later on a media worker: when the encoder falls
 * behind, the oldest frame waiting for it is dropped (counted in
 * otc_publisher_stats.video_frames_dropped_capture), so this call never blocks on the encoder.
 * Any thread, at any time from init until destroy returns (frames before the stream is live, or
 * while video is disabled with otc_publisher_set_publish_video, are dropped silently).
 * OTC_SUCCESS when taken (or dropped as just said); OTC_ERR_INVALID_PARAM for a NULL argument or
 * a frame that cannot be converted; OTC_ERR_NO_MEMORY; OTC_ERR_INVALID_STATE once
 * otc_publisher_delete has begun (stop/destroy).
 */
OTC_API otc_status otc_video_capturer_provide_frame(const otc_video_capturer* capturer, int rotation,
                                                     const otc_video_frame* frame);

OTC_END_DECLS

#endif /* OTC_VIDEO_CAPTURER_H */
