package dev.otc.e2ee.router;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who is in a session and who publishes and subscribes to what: the one place that bookkeeping lives, so no
 * connection ever edits another connection's state. Each operation checks its limits before any change (a refusal
 * leaves nothing to undo) and returns what the caller needs to tell the members; it sends nothing itself.
 *
 * <p>Not thread-safe: the owning {@link RouterSession} calls it under its monitor, and the media path reads only the
 * concurrent {@link #stream} map and each stream's copy-on-write subscriber list, without locking. A stream leaves
 * that map before its subscriber list is cleared, so a frame in flight reaches at most the subscribers it had.
 */
final class SessionMembers {

    /** A PUBLISH as parsed; {@code resumeStreamId} is "" when the client does not ask to resume an id. */
    record PublishRequest(long publishId, String name, boolean hasAudio, boolean hasVideo, int videoCodec,
                          int audioCodec, String resumeStreamId) {
    }

    /** What a joining member must be told: the members before it (join order) and the live streams (creation order). */
    record Joined(List<SessionMember> others, List<RouterStream> streams) {
    }

    /** What a member's departure changed: the streams it published (now destroyed) and the members left to tell. */
    record Left(List<RouterStream> destroyed, List<SessionMember> remaining) {
    }

    /** The session's record of one member: the streams it publishes and its subscriptions, each by stream id. */
    private static final class Membership {
        final SessionMember member;
        final Map<String, RouterStream> published = new LinkedHashMap<>();
        final Map<String, Subscription> subscriptions = new HashMap<>();

        Membership(SessionMember member) {
            this.member = member;
        }
    }

    private final boolean e2ee;
    private final RouterLimits limits;
    private final RouterStats stats;
    /** Join order, which is the order of CONNECTION_CREATED. */
    private final Map<String, Membership> members = new LinkedHashMap<>();
    /** Written here only; read without locking by the media path and the REST list. */
    private final Map<String, RouterStream> streams = new ConcurrentHashMap<>();
    /** Ids of every stream this session had on this node, and those it had on a node it was taken over from: a PUBLISH
     *  may resume one of them when no live stream has it (docs/PROTOCOL.md sec. 7). Bounded, oldest forgotten. */
    private final LinkedHashSet<String> knownStreamIds = new LinkedHashSet<>();

    SessionMembers(boolean e2ee, RouterLimits limits, RouterStats stats) {
        this.e2ee = e2ee;
        this.limits = limits;
        this.stats = stats;
    }

    /** How many past stream ids a session remembers for resumption: enough for every stream to come back a few
     *  times, bounded so a client that publishes and unpublishes in a loop cannot grow it. */
    static int knownStreamIdLimit(RouterLimits limits) {
        return 4 * limits.maxStreamsPerSession();
    }

    /** Adds {@code m}, or refuses when the session has its maximum of connections. */
    Joined join(SessionMember m) throws ProtocolException {
        int max = limits.maxConnectionsPerSession();
        if (members.size() >= max) {
            stats.refused(LimitRefusal.CONNECTIONS_PER_SESSION);
            throw new ProtocolException(ErrorCodes.SESSION_FULL,
                    "the session is full: it has its maximum of " + max + " connections", "", true);
        }
        if (members.containsKey(m.connectionId())) {
            throw new IllegalStateException(m + " joined twice");
        }
        Joined j = new Joined(members(), streamsInOrder());
        members.put(m.connectionId(), new Membership(m));
        return j;
    }

    /** Creates a stream published by {@code m} (a live member), or refuses at a stream limit. */
    RouterStream publish(SessionMember m, PublishRequest req, long sequence, long nowMs) throws ProtocolException {
        Membership ms = membership(m);
        String ctx = Long.toString(req.publishId());
        if (ms.published.size() >= limits.maxStreamsPerConnection()) {
            stats.refused(LimitRefusal.STREAMS_PER_CONNECTION);
            throw ProtocolException.refused(ErrorCodes.STREAM_LIMIT, "stream limit: this connection already publishes "
                    + limits.maxStreamsPerConnection() + " streams", ctx);
        }
        if (streams.size() >= limits.maxStreamsPerSession()) {
            stats.refused(LimitRefusal.STREAMS_PER_SESSION);
            throw ProtocolException.refused(ErrorCodes.STREAM_LIMIT, "stream limit: the session already has "
                    + limits.maxStreamsPerSession() + " streams", ctx);
        }
        // Resume only an id this session had and no live stream has: a client cannot take a live stream's id, nor
        // pick ids of its own. Anything else gets a fresh id, as with the old layout.
        String resume = req.resumeStreamId();
        String id = !resume.isEmpty() && knownStreamIds.contains(resume) && !streams.containsKey(resume)
                ? resume : java.util.UUID.randomUUID().toString();
        RouterStream st = new RouterStream(id, sequence, m, req.name(), req.hasAudio(), req.hasVideo(),
                req.videoCodec(), req.audioCodec(), e2ee, nowMs);
        rememberStreamId(id);
        ms.published.put(id, st);
        streams.put(id, st);
        stats.streamCreated();
        return st;
    }

    /** Destroys a stream {@code m} publishes; refuses a stream it does not publish (someone else's, or none). */
    RouterStream unpublish(SessionMember m, String streamId) throws ProtocolException {
        RouterStream st = membership(m).published.get(streamId);
        if (st == null) {
            throw ProtocolException.refused(ErrorCodes.STREAM_NOT_FOUND, "no stream " + streamId
                    + " published by this connection", streamId);
        }
        destroy(st);
        return st;
    }

    /** The live stream {@code streamId}, or a refusal naming it. */
    RouterStream requireStream(String streamId) throws ProtocolException {
        RouterStream st = streams.get(streamId);
        if (st == null) {
            throw ProtocolException.refused(ErrorCodes.STREAM_NOT_FOUND, "no stream " + streamId, streamId);
        }
        return st;
    }

    /**
     * Subscribes {@code m} to {@code st} (from {@link #requireStream}); from now on the media path forwards the
     * stream's frames to it. Idempotent: false when it already subscribed.
     */
    boolean subscribe(SessionMember m, RouterStream st) {
        Membership ms = membership(m);
        if (streams.get(st.id) != st) {
            throw new IllegalStateException("stream " + st.id + " is not live");
        }
        if (ms.subscriptions.containsKey(st.id)) {
            return false;
        }
        Subscription sub = new Subscription(st, m);
        ms.subscriptions.put(st.id, sub);
        st.subscribers.add(sub);
        return true;
    }

    /** Ends {@code m}'s subscription to {@code streamId}; refuses when it has none. */
    void unsubscribe(SessionMember m, String streamId) throws ProtocolException {
        Subscription sub = membership(m).subscriptions.remove(streamId);
        if (sub == null) {
            throw ProtocolException.refused(ErrorCodes.STREAM_NOT_FOUND, "not subscribed to stream " + streamId,
                    streamId);
        }
        sub.stream.subscribers.remove(sub);
    }

    /** {@code m}'s subscription to {@code streamId}, or null. */
    Subscription subscription(SessionMember m, String streamId) {
        return membership(m).subscriptions.get(streamId);
    }

    /**
     * Who a SIGNAL from {@code from} goes to: every other member when {@code to} is empty, else the member with that
     * connection id (which may be the sender itself), or a refusal when there is none.
     */
    List<SessionMember> signalTargets(SessionMember from, String to) throws ProtocolException {
        membership(from);
        if (to.isEmpty()) {
            List<SessionMember> others = new ArrayList<>(members.size());
            for (Membership ms : members.values()) {
                if (ms.member != from) {
                    others.add(ms.member);
                }
            }
            return others;
        }
        Membership target = members.get(to);
        if (target == null) {
            throw ProtocolException.refused(ErrorCodes.NOT_CONNECTED, "no connection " + to + " in this session", to);
        }
        return List.of(target.member);
    }

    /** Removes {@code m}: destroys the streams it publishes and drops its subscriptions. Null if it is not a member. */
    Left leave(SessionMember m) {
        Membership ms = members.get(m.connectionId());
        if (ms == null || ms.member != m) {
            return null;
        }
        members.remove(m.connectionId());
        List<RouterStream> destroyed = new ArrayList<>(ms.published.values());
        for (RouterStream st : destroyed) {
            destroy(st);
        }
        for (Subscription sub : ms.subscriptions.values()) {
            sub.stream.subscribers.remove(sub);
        }
        ms.subscriptions.clear();
        return new Left(destroyed, members());
    }

    /** Takes the stream out of the session: first out of the media path's map, then off every subscriber. */
    private void destroy(RouterStream st) {
        streams.remove(st.id);
        Membership publisher = members.get(st.publisher.connectionId());
        if (publisher != null) {
            publisher.published.remove(st.id);
        }
        for (Subscription sub : st.subscribers) {
            Membership subscriber = members.get(sub.subscriber.connectionId());
            if (subscriber != null) {
                subscriber.subscriptions.remove(st.id, sub);
            }
        }
        st.subscribers.clear();
        stats.streamDestroyed();
    }

    private Membership membership(SessionMember m) {
        Membership ms = members.get(m.connectionId());
        if (ms == null || ms.member != m) {
            throw new IllegalStateException(m + " is not a member of this session");
        }
        return ms;
    }

    /** Remembers a stream id for resumption (also ids the session had on another node). */
    void rememberStreamId(String id) {
        knownStreamIds.add(id);
        int limit = knownStreamIdLimit(limits);
        while (knownStreamIds.size() > limit) {
            Iterator<String> it = knownStreamIds.iterator();
            it.next();
            it.remove();
        }
    }

    boolean knowsStreamId(String id) {
        return knownStreamIds.contains(id);
    }

    /** Members in join order. */
    List<SessionMember> members() {
        List<SessionMember> list = new ArrayList<>(members.size());
        for (Membership ms : members.values()) {
            list.add(ms.member);
        }
        return list;
    }

    int memberCount() {
        return members.size();
    }

    /** Stream ids {@code m} publishes, in creation order. */
    List<String> publishedBy(SessionMember m) {
        return List.copyOf(membership(m).published.keySet());
    }

    /** Stream ids {@code m} subscribes to. */
    java.util.Set<String> subscriptionsOf(SessionMember m) {
        return java.util.Set.copyOf(membership(m).subscriptions.keySet());
    }

    /** Lock-free: the media path's lookup. */
    RouterStream stream(String id) {
        return streams.get(id);
    }

    /** Lock-free: streams in creation order, for STREAM_CREATED replay and the REST list. */
    List<RouterStream> streamsInOrder() {
        List<RouterStream> list = new ArrayList<>(streams.values());
        list.sort((a, b) -> Long.compare(a.sequence, b.sequence));
        return list;
    }
}
