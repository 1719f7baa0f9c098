/* Umbrella header of the otc-e2ee C API. */
#ifndef OTC_OTC_H
#define OTC_OTC_H

#include "config.h"
#include "errors.h"
#include "capabilities.h"
#include "secret.h"
#include "sframe.h"
#include "primitives.h"
#include "frame_cryptor.h"
#include "media.h"
#include "video_frame.h"
#include "video_capturer.h"
#include "audio_device.h"
#include "stream.h"
#include "publisher.h"
#include "subscriber.h"
#include "session.h"
#include "testing.h"

#endif /* OTC_OTC_H */
