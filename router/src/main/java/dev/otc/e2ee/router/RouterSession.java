package dev.otc.e2ee.router;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A session: its settings from {@code POST /session/create}, its connections and streams. Membership changes
 * (connect, publish, subscribe, leave) run under this object's monitor so every member sees them in one order;
 * the media path only reads {@link #streams} and each stream's subscriber list, without locking.
 */
final class RouterSession {

    final String id;
    final String applicationId;
    final boolean e2ee;
    final MediaMode mediaMode;
    final boolean archiveAlways;
    final String location;
    final long createdMs;
    /** Guarded by this: System.nanoTime() when the last connection left (or the session was created). */
    private long emptySinceNanos;
    /** Guarded by this: set once the session was removed; a CONNECT racing the removal sees it and fails. */
    private boolean expired;

    /** Guarded by this: ids of every stream this session had on this node, and those it had on a node it was taken
     *  over from: a PUBLISH may resume one of them when no live stream has it (docs/PROTOCOL.md sec. 7). */
    private final java.util.LinkedHashSet<String> knownStreamIds = new java.util.LinkedHashSet<>();

    /** Caller holds this. Remembers at most {@code limit} ids (the oldest are forgotten), so a client that publishes
     *  and unpublishes in a loop cannot grow it without bound. */
    void rememberStreamId(String id, int limit) {
        knownStreamIds.add(id);
        while (knownStreamIds.size() > limit) {
            java.util.Iterator<String> it = knownStreamIds.iterator();
            it.next();
            it.remove();
        }
    }

    /** Caller holds this. */
    boolean knowsStreamId(String id) {
        return knownStreamIds.contains(id);
    }

    /** Guarded by this; iteration order is join order, which is the order of CONNECTION_CREATED. */
    private final Map<String, ClientConnection> connections = new java.util.LinkedHashMap<>();
    final Map<String, RouterStream> streams = new ConcurrentHashMap<>();

    RouterSession(String id, String applicationId, boolean e2ee, MediaMode mediaMode, boolean archiveAlways,
                  String location, long createdMs, long createdNanos) {
        this.id = id;
        this.applicationId = applicationId;
        this.e2ee = e2ee;
        this.mediaMode = mediaMode;
        this.archiveAlways = archiveAlways;
        this.location = location;
        this.createdMs = createdMs;
        this.emptySinceNanos = createdNanos;
    }

    /** Caller holds this. */
    boolean expired() {
        return expired;
    }

    /** Caller holds this. Marks the session expired when it has been empty since before {@code limitNanos};
     *  true only on that transition. */
    boolean expireIfEmptySince(long limitNanos) {
        if (expired || !connections.isEmpty() || emptySinceNanos - limitNanos >= 0) {
            return false;
        }
        expired = true;
        return true;
    }

    /** Caller holds this. The session left this node (another node owns it now): later joins fail like expiry. */
    void markMoved() {
        expired = true;
    }

    /** Caller holds this. */
    int connectionCount() {
        return connections.size();
    }

    /** Caller holds this. */
    void add(ClientConnection c) {
        connections.put(c.connectionId(), c);
    }

    /** Caller holds this. */
    void remove(ClientConnection c) {
        connections.remove(c.connectionId());
        if (connections.isEmpty()) {
            emptySinceNanos = System.nanoTime();
        }
    }

    /** Caller holds this. */
    ClientConnection connection(String connectionId) {
        return connections.get(connectionId);
    }

    /** Caller holds this. */
    List<ClientConnection> connections() {
        return new ArrayList<>(connections.values());
    }

    /** Streams in creation order, for STREAM_CREATED replay and the REST list. */
    List<RouterStream> streamsInOrder() {
        List<RouterStream> list = new ArrayList<>(streams.values());
        list.sort((a, b) -> Long.compare(a.sequence, b.sequence));
        return list;
    }
}
