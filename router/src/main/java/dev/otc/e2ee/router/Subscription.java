package dev.otc.e2ee.router;

/** One subscriber's view of one stream: where its frames go and whether its video waits for a keyframe. */
final class Subscription {

    final RouterStream stream;
    final ClientConnection subscriber;
    /** Guarded by the subscriber's {@link OutboundQueue}. */
    boolean awaitingKeyframe;
    /** Confined to the subscriber's event loop: System.nanoTime() from which its next KEYFRAME_REQUEST is forwarded. */
    long nextKeyframeRequestNanos;

    Subscription(RouterStream stream, ClientConnection subscriber) {
        this.stream = stream;
        this.subscriber = subscriber;
        this.nextKeyframeRequestNanos = System.nanoTime();
    }
}
