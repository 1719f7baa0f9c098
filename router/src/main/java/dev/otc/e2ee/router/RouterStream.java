package dev.otc.e2ee.router;

import java.util.concurrent.CopyOnWriteArrayList;

/** A published stream. Its subscriber list is copy-on-write: read per frame by the media path, changed only by
 *  {@link SessionMembers} under the session's lock. */
final class RouterStream {

    final String id;
    final long sequence;
    final SessionMember publisher;
    final String name;
    final boolean hasAudio;
    final boolean hasVideo;
    final int videoCodec;
    final int audioCodec;
    final boolean e2ee;
    final long createdMs;
    final CopyOnWriteArrayList<Subscription> subscribers = new CopyOnWriteArrayList<>();
    /** Set by the publisher's thread on its first video frame; a later subscriber then triggers a keyframe request. */
    volatile boolean videoStarted;

    RouterStream(String id, long sequence, SessionMember publisher, String name, boolean hasAudio, boolean hasVideo,
                 int videoCodec, int audioCodec, boolean e2ee, long createdMs) {
        this.id = id;
        this.sequence = sequence;
        this.publisher = publisher;
        this.name = name;
        this.hasAudio = hasAudio;
        this.hasVideo = hasVideo;
        this.videoCodec = videoCodec;
        this.audioCodec = audioCodec;
        this.e2ee = e2ee;
        this.createdMs = createdMs;
    }
}
