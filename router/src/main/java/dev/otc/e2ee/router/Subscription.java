package dev.otc.e2ee.router;

/** One subscriber's view of one stream: where its frames go and whether its video waits for a keyframe. */
final class Subscription {

    final RouterStream stream;
    final SessionMember subscriber;
    /** Guarded by the subscriber's {@link OutboundQueue}. */
    boolean awaitingKeyframe;
    /** Confined to the subscriber's event loop: the keyframe request limiter's theoretical arrival time (GCRA). */
    private long keyframeRequestTat;

    Subscription(RouterStream stream, SessionMember subscriber) {
        this.stream = stream;
        this.subscriber = subscriber;
        this.keyframeRequestTat = System.nanoTime();
    }

    /**
     * Whether a KEYFRAME_REQUEST from this subscriber may be forwarded now: one per {@code intervalNanos} on average,
     * up to {@code burst} back to back (generic cell rate algorithm: one timestamp, no timer).
     */
    boolean allowKeyframeRequest(long nowNanos, long intervalNanos, int burst) {
        long tat = keyframeRequestTat - nowNanos < 0 ? nowNanos : keyframeRequestTat;
        if (tat - nowNanos > (burst - 1) * intervalNanos) {
            return false;
        }
        keyframeRequestTat = tat + intervalNanos;
        return true;
    }
}
