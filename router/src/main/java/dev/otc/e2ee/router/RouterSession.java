package dev.otc.e2ee.router;

import java.util.List;

import io.netty.buffer.ByteBufAllocator;

/**
 * A session: its settings from {@code POST /session/create} and its members ({@link SessionMembers}). Every
 * membership change (join, publish, unpublish, subscribe, unsubscribe, signal, leave) is one method here that runs
 * under this object's monitor and queues the resulting notices to the members' {@link OutboundQueue}s in the same
 * critical section: so every member sees the session's events in one order (a joiner's replay and a concurrent
 * STREAM_CREATED or STREAM_DESTROYED never cross), and SUBSCRIBED is queued before the first frame of the stream.
 * Callers run on the acting connection's event loop; the only thing they touch of another connection is its queue.
 * The media path only reads {@link #stream} and each stream's subscriber list, without locking.
 */
final class RouterSession {

    final String id;
    final String applicationId;
    final boolean e2ee;
    final MediaMode mediaMode;
    final boolean archiveAlways;
    final String location;
    final long createdMs;
    /** Guarded by this, except its stream map, which the media path reads without locking. */
    private final SessionMembers members;
    /** Guarded by this: System.nanoTime() when the last connection left (or the session was created). */
    private long emptySinceNanos;
    /** Guarded by this: set once the session was removed; a CONNECT racing the removal sees it and fails. */
    private boolean expired;

    /** What destroying streams left to do outside the lock: the streams, and whether the session was still live
     *  (only then does the directory forget them: a moved session keeps its ids there for resumption). */
    record Ended(List<RouterStream> streams, boolean sessionLive) {
    }

    RouterSession(String id, String applicationId, boolean e2ee, MediaMode mediaMode, boolean archiveAlways,
                  String location, long createdMs, long createdNanos, RouterLimits limits, RouterStats stats) {
        this.id = id;
        this.applicationId = applicationId;
        this.e2ee = e2ee;
        this.mediaMode = mediaMode;
        this.archiveAlways = archiveAlways;
        this.location = location;
        this.createdMs = createdMs;
        this.emptySinceNanos = createdNanos;
        this.members = new SessionMembers(e2ee, limits, stats);
    }

    // ---- membership: each runs under the lock and queues what the members must see ----

    /**
     * Adds {@code m} after a valid CONNECT, or refuses (expired, full) before any side effect, so concurrent CONNECTs
     * cannot overshoot the cap. {@code m} gets CONNECTED, NODES (several nodes only), then the replay of the members
     * and streams; the others get CONNECTION_CREATED.
     */
    synchronized void join(SessionMember m, Role role, List<String> otherNodes) throws ProtocolException {
        if (expired) {
            throw new ProtocolException(ErrorCodes.INVALID_SESSION_ID,
                    "the token's session does not exist on this router (it expired)", "", true);
        }
        SessionMembers.Joined j = members.join(m);
        ByteBufAllocator a = m.alloc();
        OutboundQueue q = m.queue();
        q.offerControl(Wire.connected(a, m.connectionId(), id, e2ee, role, m.connectionData(), m.createdMs()));
        if (otherNodes != null) {
            q.offerControl(Wire.nodes(a, otherNodes));   // several nodes only (PROTOCOL.md sec. 7)
        }
        for (SessionMember o : j.others()) {
            q.offerControl(Wire.connectionCreated(a, o.connectionId(), o.connectionData(), o.createdMs()));
        }
        for (RouterStream st : j.streams()) {
            q.offerControl(Wire.streamCreated(a, st));
        }
        for (SessionMember o : j.others()) {
            o.queue().offerControl(Wire.connectionCreated(a, m.connectionId(), m.connectionData(), m.createdMs()));
        }
    }

    /** A new stream of {@code m}: PUBLISHED to it, STREAM_CREATED to every member (itself included). */
    synchronized RouterStream publish(SessionMember m, SessionMembers.PublishRequest req, long sequence)
            throws ProtocolException {
        RouterStream st = members.publish(m, req, sequence, System.currentTimeMillis());
        ByteBufAllocator a = m.alloc();
        m.queue().offerControl(Wire.published(a, req.publishId(), st.id));
        for (SessionMember o : members.members()) {
            o.queue().offerControl(Wire.streamCreated(a, st));
        }
        return st;
    }

    /** Destroys a stream {@code m} publishes: STREAM_DESTROYED(unpublished) to every member. */
    synchronized Ended unpublish(SessionMember m, String streamId) throws ProtocolException {
        RouterStream st = members.unpublish(m, streamId);
        for (SessionMember o : members.members()) {
            o.queue().offerControl(Wire.streamDestroyed(m.alloc(), st.id, Wire.DESTROYED_UNPUBLISHED));
        }
        return new Ended(List.of(st), !expired);
    }

    /**
     * Subscribes {@code m}: SUBSCRIBED is queued before the subscription becomes visible to the media path. Returns
     * the stream when the new subscriber needs a keyframe now (a running video stream), else null.
     */
    synchronized RouterStream subscribe(SessionMember m, String streamId) throws ProtocolException {
        RouterStream st = members.requireStream(streamId);
        m.queue().offerControl(Wire.subscribed(m.alloc(), streamId));
        boolean added = members.subscribe(m, st);
        // Joining a running video stream: its decoder needs a keyframe, so ask for one now rather than wait for the
        // next periodic one. Deltas still pass: the client decides what to do with them.
        return added && st.hasVideo && st.videoStarted ? st : null;
    }

    synchronized void unsubscribe(SessionMember m, String streamId) throws ProtocolException {
        members.unsubscribe(m, streamId);
    }

    /** {@code m}'s subscription to the stream, or null. */
    synchronized Subscription subscription(SessionMember m, String streamId) {
        return members.subscription(m, streamId);
    }

    /** SIGNAL from {@code m} to one member or (empty {@code to}) to every other member. */
    synchronized void signal(SessionMember m, String to, String type, String data) throws ProtocolException {
        for (SessionMember t : members.signalTargets(m, to)) {
            t.queue().offerControl(Wire.signal(m.alloc(), m.connectionId(), type, data));
        }
    }

    /**
     * Removes {@code m} once: its streams are destroyed (STREAM_DESTROYED(publisher left)) and its subscriptions
     * dropped; the others get CONNECTION_DROPPED(reason). Null when {@code m} was not a member (any more).
     */
    synchronized Ended leave(SessionMember m, int reason) {
        SessionMembers.Left left = members.leave(m);
        if (left == null) {
            return null;
        }
        if (left.remaining().isEmpty()) {
            emptySinceNanos = System.nanoTime();
        }
        ByteBufAllocator a = m.alloc();
        for (RouterStream st : left.destroyed()) {
            for (SessionMember o : left.remaining()) {
                o.queue().offerControl(Wire.streamDestroyed(a, st.id, Wire.DESTROYED_PUBLISHER_LEFT));
            }
        }
        for (SessionMember o : left.remaining()) {
            o.queue().offerControl(Wire.connectionDropped(a, m.connectionId(), reason));
        }
        return new Ended(left.destroyed(), !expired);
    }

    // ---- the session's life ----

    synchronized boolean expired() {
        return expired;
    }

    /** Marks the session expired when it has been empty since before {@code limitNanos}; true only on that
     *  transition. */
    synchronized boolean expireIfEmptySince(long limitNanos) {
        if (expired || members.memberCount() != 0 || emptySinceNanos - limitNanos >= 0) {
            return false;
        }
        expired = true;
        return true;
    }

    /** The session left this node (another node owns it now): later joins fail like expiry. Returns the members,
     *  who are to be sent elsewhere. */
    synchronized List<SessionMember> markMoved() {
        expired = true;
        return members.members();
    }

    /** Ids the session's streams had on the node it was taken over from: their publishers may resume them. */
    synchronized void rememberStreamIds(List<String> ids) {
        for (String s : ids) {
            members.rememberStreamId(s);
        }
    }

    // ---- read-only views ----

    synchronized List<SessionMember> members() {
        return members.members();
    }

    synchronized List<String> publishedBy(SessionMember m) {
        return members.publishedBy(m);
    }

    synchronized java.util.Set<String> subscriptionsOf(SessionMember m) {
        return members.subscriptionsOf(m);
    }

    /** Lock-free: the media path's lookup. */
    RouterStream stream(String streamId) {
        return members.stream(streamId);
    }

    /** Lock-free: streams in creation order, for the REST list and the directory. */
    List<RouterStream> streamsInOrder() {
        return members.streamsInOrder();
    }
}
