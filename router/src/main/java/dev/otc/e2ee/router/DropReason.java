package dev.otc.e2ee.router;

import java.util.Locale;

/** Why the router did not deliver a MEDIA_FRAME; a label of {@code otc_router_frames_dropped_total}. */
public enum DropReason {
    /** A video frame did not fit in the subscriber's send queue. */
    QUEUE_FULL,
    /** Video after a drop, waiting for the next keyframe that fits. */
    AWAITING_KEYFRAME,
    /** Audio beyond the subscriber's audio queue bound (the subscriber is not reading at all). */
    AUDIO_QUEUE_FULL,
    /** A frame without the encrypted flag in an E2EE session (refused at the publisher, never forwarded). */
    UNENCRYPTED,
    /** A frame for a stream the sender does not publish. */
    UNKNOWN_STREAM;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
