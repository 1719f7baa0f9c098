/*
 * A custom audio device, in the OpenTok Linux SDK's shape: the process's one source of audio for
 * publishers and sink of audio from subscribers. The application's capture thread pushes 16-bit
 * PCM with otc_audio_device_write_capture_data; the SDK cuts it into 20 ms frames, encodes them
 * with Opus on a media worker and sends each frame on every live publisher that has an audio
 * track (encrypted in an E2EE session). Received audio is decoded on media workers into a
 * bounded buffer per subscribed stream; the application's render thread pulls the mix of all
 * streams with otc_audio_device_read_render_data.
 *
 * Format: interleaved signed 16-bit samples at 48 000 Hz, 1 or 2 channels (from
 * get_capture_settings / get_render_settings; the SDK pre-fills 48 000 Hz mono). Other sample
 * rates are refused: the capturer or renderer is then not started and the data functions return
 * OTC_ERR_NOT_SUPPORTED / 0.
 *
 * Which callbacks the SDK calls, and on which thread (the rest of the struct exists for source
 * compatibility and is never called):
 * - init: inside otc_set_audio_device; destroy: when it is replaced (or set to NULL), on the
 *   thread calling otc_set_audio_device.
 * - get_capture_settings, init_capturer, start_capturer: when the first publisher with audio goes
 *   live (a session's callback thread), or inside otc_set_audio_device if one is live already.
 *   stop_capturer, destroy_capturer: when the last one ends (the thread ending it), or when the
 *   device is replaced.
 * - get_render_settings, init_renderer, start_renderer: when the first subscriber of a stream
 *   with audio is subscribed (a callback thread); stop_renderer, destroy_renderer: when the last
 *   one ends, or when the device is replaced.
 * Capture and render data calls are valid from any thread at any time: before the capturer is
 * started they are simply refused (OTC_ERR_INVALID_STATE / 0 samples).
 */
#ifndef OTC_AUDIO_DEVICE_H
#define OTC_AUDIO_DEVICE_H

#include "config.h"
#include "errors.h"

OTC_BEGIN_DECLS

typedef struct otc_audio_device otc_audio_device;

struct otc_audio_device_settings {
  int sampling_rate;      /* samples per second per channel: 48000 */
  int number_of_channels; /* 1 or 2 */
};

struct otc_audio_device_callbacks {
  otc_bool (*init)(const otc_audio_device* audio_device, void* user_data);
  otc_bool (*destroy)(const otc_audio_device* audio_device, void* user_data);
  otc_bool (*init_capturer)(const otc_audio_device* audio_device, void* user_data);
  otc_bool (*destroy_capturer)(const otc_audio_device* audio_device, void* user_data);
  otc_bool (*start_capturer)(const otc_audio_device* audio_device, void* user_data);
  otc_bool (*stop_capturer)(const otc_audio_device* audio_device, void* user_data);
  otc_bool (*is_capturer_initialized)(const otc_audio_device* audio_device, void* user_data); /* not called */
  otc_bool (*is_capturer_started)(const otc_audio_device* audio_device, void* user_data);     /* not called */
  int (*get_estimated_capture_delay)(const otc_audio_device* audio_device, void* user_data);  /* not called */
  otc_bool (*get_capture_settings)(const otc_audio_device* audio_device, void* user_data,
                                   struct otc_audio_device_settings* settings);
  otc_bool (*init_renderer)(const otc_audio_device* audio_device, void* user_data);
  otc_bool (*destroy_renderer)(const otc_audio_device* audio_device, void* user_data);
  otc_bool (*start_renderer)(const otc_audio_device* audio_device, void* user_data);
  otc_bool (*stop_renderer)(const otc_audio_device* audio_device, void* user_data);
  otc_bool (*is_renderer_initialized)(const otc_audio_device* audio_device, void* user_data); /* not called */
  otc_bool (*is_renderer_started)(const otc_audio_device* audio_device, void* user_data);     /* not called */
  int (*get_estimated_render_delay)(const otc_audio_device* audio_device, void* user_data);   /* not called */
  otc_bool (*get_render_settings)(const otc_audio_device* audio_device, void* user_data,
                                  struct otc_audio_device_settings* settings);
  void* user_data;
  void* reserved;
};

/*
 * Pulls up to `number_of_samples` samples per channel of mixed received audio into `buffer`
 * (interleaved, render channels). Each stream's decoded audio waits in a buffer of at most
 * OTC_AUDIO_DEVICE_MAX_BUFFERED_MS (the oldest is dropped beyond); the mix sums the streams with
 * saturation. Returns the number of samples per channel written: the most any stream had, up to
 * `number_of_samples` (streams with less contribute silence for the rest); 0 when nothing waits,
 * the renderer is not started, or `buffer` is NULL.
 */
#define OTC_AUDIO_DEVICE_MAX_BUFFERED_MS 500
OTC_API size_t otc_audio_device_read_render_data(int16_t* buffer, size_t number_of_samples);

/*
 * Hands `number_of_samples` samples per channel of captured audio (interleaved, capture channels)
 * to the SDK, which copies them. OTC_SUCCESS; OTC_ERR_INVALID_PARAM for a NULL buffer with a
 * non-zero count or more than one second at once; OTC_ERR_INVALID_STATE when the capturer is not
 * started (no live publisher with audio, or no device); OTC_ERR_NOT_SUPPORTED for a capture
 * format this SDK does not take. Never blocks on the encoder: when it falls behind by more than
 * OTC_AUDIO_DEVICE_MAX_BUFFERED_MS, the oldest audio is dropped.
 */
OTC_API otc_status otc_audio_device_write_capture_data(const int16_t* buffer, size_t number_of_samples);

/*
 * Makes `callbacks` (copied) the process's audio device; NULL removes it. The previous device, if
 * any, is stopped and destroyed first. Set it before connecting sessions (as the OpenTok SDK asks);
 * setting it later starts capture/render at once if publishers/subscribers need them.
 * OTC_ERR_INVALID_PARAM when init returns OTC_FALSE (no device is then set).
 * Must not be called from inside one of the device's own callbacks.
 */
OTC_API otc_status otc_set_audio_device(const struct otc_audio_device_callbacks* callbacks);

OTC_END_DECLS

#endif /* OTC_AUDIO_DEVICE_H */
