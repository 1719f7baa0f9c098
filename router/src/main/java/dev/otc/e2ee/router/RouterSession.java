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

    /** Guarded by this; iteration order is join order, which is the order of CONNECTION_CREATED. */
    private final Map<String, ClientConnection> connections = new java.util.LinkedHashMap<>();
    final Map<String, RouterStream> streams = new ConcurrentHashMap<>();

    RouterSession(String id, String applicationId, boolean e2ee, MediaMode mediaMode, boolean archiveAlways,
                  String location, long createdMs) {
        this.id = id;
        this.applicationId = applicationId;
        this.e2ee = e2ee;
        this.mediaMode = mediaMode;
        this.archiveAlways = archiveAlways;
        this.location = location;
        this.createdMs = createdMs;
    }

    /** Caller holds this. */
    void add(ClientConnection c) {
        connections.put(c.connectionId(), c);
    }

    /** Caller holds this. */
    void remove(ClientConnection c) {
        connections.remove(c.connectionId());
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
