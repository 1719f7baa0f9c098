/*
 * Encoded media frames as the application hands them to a publisher and receives them from a
 * subscriber (the OpenTok SDK's "compressed" frame path: the SDK never encodes or decodes).
 */
#ifndef OTC_MEDIA_H
#define OTC_MEDIA_H

#include "config.h"

OTC_BEGIN_DECLS

typedef enum otc_media_type {
  OTC_MEDIA_TYPE_AUDIO = 0,
  OTC_MEDIA_TYPE_VIDEO = 1
} otc_media_type;

/* Numbers are the codec numbers of docs/PROTOCOL.md sec. 3 (they travel on the wire). */
typedef enum otc_codec {
  OTC_CODEC_NONE = 0,
  OTC_CODEC_VP8 = 1,
  OTC_CODEC_VP9 = 2,
  OTC_CODEC_H264 = 3,
  OTC_CODEC_OPUS = 16
} otc_codec;

/* Largest payload a frame may carry: the protocol's 4 MiB message limit minus headers and SFrame overhead. */
#define OTC_MEDIA_FRAME_MAX_SIZE (4u * 1024u * 1024u - 4096u)

/*
 * One encoded frame. Plain ints (not enum types) keep the layout identical from C, JavaCPP and JNA.
 * On send: `sequence` is ignored (the publisher numbers its frames itself, +1 per frame) and
 * `data` is only read during otc_publisher_send_frame. On receive: every field is what the
 * publisher sent, authenticated in an E2EE session; `data` is the decrypted payload and is valid
 * only during the callback (copy it to keep it). Audio and video of a stream share one sequence,
 * and an audio frame may arrive ahead of video frames numbered before it (the router lets audio
 * overtake queued video): a missing number shows a lost frame only once later ones have arrived.
 */
typedef struct otc_media_frame {
  int media_type;          /* otc_media_type */
  int codec;               /* otc_codec; must match the media type (Opus for audio, VP8/VP9/H.264 for video) */
  otc_bool keyframe;       /* video: the frame is decodable on its own; audio: ignored */
  uint64_t timestamp_us;   /* capture timestamp in microseconds */
  uint32_t sequence;       /* per stream, +1 per frame */
  int spatial_layer;       /* 0..255 */
  int temporal_layer;      /* 0..255 */
  const uint8_t* data;
  size_t size;             /* 0 .. OTC_MEDIA_FRAME_MAX_SIZE */
} otc_media_frame;

/* "VP8", "VP9", "H264", "OPUS", "none"; NULL for an unknown number. */
OTC_API const char* otc_codec_name(int codec);

/* Whether `codec` is a known codec of `media_type` (OTC_CODEC_NONE is never valid for a frame). */
OTC_API otc_bool otc_codec_is_valid_for(int media_type, int codec);

OTC_END_DECLS

#endif /* OTC_MEDIA_H */
