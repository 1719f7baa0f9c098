package dev.otc.e2ee.router;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** The router's counters: what {@code GET /metrics} serves, readable in-process through {@link MediaRouter#stats()}. */
public final class RouterStats {

    private final AtomicLong sessions = new AtomicLong();
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong streams = new AtomicLong();
    private final LongAdder framesReceived = new LongAdder();
    private final LongAdder bytesReceived = new LongAdder();
    private final LongAdder framesForwarded = new LongAdder();
    private final LongAdder bytesForwarded = new LongAdder();
    private final LongAdder queuedBytes = new LongAdder();
    private final LongAdder keyframeRequests = new LongAdder();
    private final LongAdder protocolErrors = new LongAdder();
    private final Map<DropReason, LongAdder> dropped = new EnumMap<>(DropReason.class);
    private final Map<LimitRefusal, LongAdder> refused = new EnumMap<>(LimitRefusal.class);
    private final LongAdder sessionsExpired = new LongAdder();
    private final AtomicLong pendingConnections = new AtomicLong();
    private final LongAdder inboundBufferedBytes = new LongAdder();
    private final LongAdder jtisForgotten = new LongAdder();
    // Several nodes (--redis): this node's view of the directory.
    private final LongAdder redirectsNotOwner = new LongAdder();
    private final LongAdder redirectsDraining = new LongAdder();
    private final LongAdder drains = new LongAdder();
    private final LongAdder directoryErrors = new LongAdder();
    private final AtomicLong directoryNodesLive = new AtomicLong();
    private final AtomicLong directoryAssigned = new AtomicLong();
    private volatile boolean draining;

    RouterStats() {
        for (DropReason r : DropReason.values()) {
            dropped.put(r, new LongAdder());
        }
        for (LimitRefusal r : LimitRefusal.values()) {
            refused.put(r, new LongAdder());
        }
    }

    void sessionCreated() { sessions.incrementAndGet(); }
    void connectionOpened() { connections.incrementAndGet(); }
    void connectionClosed() { connections.decrementAndGet(); }
    void streamCreated() { streams.incrementAndGet(); }
    void streamDestroyed() { streams.decrementAndGet(); }
    void keyframeRequested() { keyframeRequests.increment(); }
    void protocolError() { protocolErrors.increment(); }
    void sessionExpired() { sessions.decrementAndGet(); sessionsExpired.increment(); }
    void sessionMoved() { sessions.decrementAndGet(); }
    void pendingConnectionOpened() { pendingConnections.incrementAndGet(); }
    void pendingConnectionClosed() { pendingConnections.decrementAndGet(); }
    void inboundBuffered(long delta) { inboundBufferedBytes.add(delta); }
    void refused(LimitRefusal limit) { refused.get(limit).increment(); }
    void jtiForgotten() { jtisForgotten.increment(); }
    void redirectSent(int reason) { (reason == Wire.REDIRECT_DRAINING ? redirectsDraining : redirectsNotOwner).increment(); }
    void drainStarted() { drains.increment(); draining = true; }
    void directoryError() { directoryErrors.increment(); }
    void directoryNodesLive(long n) { directoryNodesLive.set(n); }
    void directoryAssigned(long n) { directoryAssigned.set(n); }

    void frameReceived(int bytes) {
        framesReceived.increment();
        bytesReceived.add(bytes);
    }

    void frameForwarded(int bytes) {
        framesForwarded.increment();
        bytesForwarded.add(bytes);
    }

    void queued(long delta) {
        queuedBytes.add(delta);
    }

    void frameDropped(DropReason reason) {
        dropped.get(reason).increment();
    }

    /** Live sessions: created and not yet expired. */
    public long sessions() { return sessions.get(); }
    /** Client connections that completed CONNECT and are still open. */
    public long connections() { return connections.get(); }
    public long streams() { return streams.get(); }
    public long framesReceived() { return framesReceived.sum(); }
    public long bytesReceived() { return bytesReceived.sum(); }
    /** Frames handed to a subscriber's socket (one per subscriber). */
    public long framesForwarded() { return framesForwarded.sum(); }
    /** Wire bytes (length prefix included) handed to subscribers' sockets. */
    public long bytesForwarded() { return bytesForwarded.sum(); }
    /** Bytes waiting in all clients' send queues right now (excluding what sockets already hold). */
    public long queuedBytes() { return queuedBytes.sum(); }
    public long keyframeRequests() { return keyframeRequests.sum(); }
    public long protocolErrors() { return protocolErrors.sum(); }
    public long framesDropped(DropReason reason) { return dropped.get(reason).sum(); }
    /** Sessions removed after being empty for the configured time. */
    public long sessionsExpired() { return sessionsExpired.sum(); }
    /** Media connections accepted that have not completed CONNECT yet. */
    public long pendingConnections() { return pendingConnections.get(); }
    /** Bytes of incomplete messages the router holds for all media connections right now (its inbound buffers). */
    public long inboundBufferedBytes() { return inboundBufferedBytes.sum(); }
    public long refusals(LimitRefusal limit) { return refused.get(limit).sum(); }
    /** REST token ids forgotten before they expired because the replay cache was full. */
    public long jtisForgotten() { return jtisForgotten.sum(); }

    /** REDIRECTs sent: reason 1 (another node owns the session) or 2 (draining / moved away). */
    public long redirectsSent(int reason) {
        return (reason == Wire.REDIRECT_DRAINING ? redirectsDraining : redirectsNotOwner).sum();
    }
    /** Times this node started draining. */
    public long drains() { return drains.sum(); }
    /** Failed directory (Redis) commands. */
    public long directoryErrors() { return directoryErrors.sum(); }
    /** Live nodes in the directory at the last heartbeat (this one included). */
    public long directoryNodesLive() { return directoryNodesLive.get(); }
    /** Sessions the directory assigns to this node (created or moved here, not yet expired), at the last heartbeat. */
    public long directorySessionsAssigned() { return directoryAssigned.get(); }

    /** Prometheus text exposition format 0.0.4. */
    public String toPrometheus() {
        StringBuilder sb = new StringBuilder(1024);
        gauge(sb, "otc_router_sessions", "Sessions known to the router.", sessions());
        gauge(sb, "otc_router_connections", "Connected clients.", connections());
        gauge(sb, "otc_router_streams", "Published streams.", streams());
        gauge(sb, "otc_router_queued_bytes", "Bytes waiting in clients' send queues.", queuedBytes());
        counter(sb, "otc_router_frames_received_total", "MEDIA_FRAME messages received from publishers.", framesReceived());
        counter(sb, "otc_router_bytes_received_total", "MEDIA_FRAME bytes received from publishers.", bytesReceived());
        counter(sb, "otc_router_frames_forwarded_total", "MEDIA_FRAME messages written to subscribers.", framesForwarded());
        counter(sb, "otc_router_bytes_forwarded_total", "MEDIA_FRAME bytes written to subscribers.", bytesForwarded());
        counter(sb, "otc_router_keyframe_requests_total", "KEYFRAME_REQUEST messages sent to publishers.", keyframeRequests());
        counter(sb, "otc_router_protocol_errors_total", "Connections closed for a protocol error.", protocolErrors());
        gauge(sb, "otc_router_pending_connections", "Media connections that have not completed CONNECT.", pendingConnections());
        gauge(sb, "otc_router_inbound_buffered_bytes", "Bytes of incomplete inbound messages held.", inboundBufferedBytes());
        counter(sb, "otc_router_sessions_expired_total", "Sessions removed after being empty too long.", sessionsExpired());
        counter(sb, "otc_router_rest_jtis_forgotten_total", "REST token ids dropped from a full replay cache.", jtisForgotten());
        gauge(sb, "otc_router_node_draining", "1 while this node is draining.", draining ? 1 : 0);
        counter(sb, "otc_router_node_drains_total", "Times this node started draining.", drains());
        gauge(sb, "otc_router_directory_nodes_live", "Live router nodes in the directory (0 without --redis).",
                directoryNodesLive());
        gauge(sb, "otc_router_directory_sessions_assigned", "Sessions the directory assigns to this node.",
                directorySessionsAssigned());
        counter(sb, "otc_router_directory_errors_total", "Failed directory (Redis) commands.", directoryErrors());
        sb.append("# HELP otc_router_redirects_total REDIRECT messages sent, by reason.\n");
        sb.append("# TYPE otc_router_redirects_total counter\n");
        sb.append("otc_router_redirects_total{reason=\"not_owner\"} ").append(redirectsSent(1)).append('\n');
        sb.append("otc_router_redirects_total{reason=\"draining\"} ").append(redirectsSent(2)).append('\n');
        sb.append("# HELP otc_router_limit_refusals_total Requests refused or dropped by a configured limit.\n");
        sb.append("# TYPE otc_router_limit_refusals_total counter\n");
        for (LimitRefusal r : LimitRefusal.values()) {
            sb.append("otc_router_limit_refusals_total{reason=\"").append(r.label()).append("\"} ")
                    .append(refusals(r)).append('\n');
        }
        sb.append("# HELP otc_router_frames_dropped_total MEDIA_FRAME deliveries not made, by reason.\n");
        sb.append("# TYPE otc_router_frames_dropped_total counter\n");
        for (DropReason r : DropReason.values()) {
            sb.append("otc_router_frames_dropped_total{reason=\"").append(r.label()).append("\"} ")
                    .append(framesDropped(r)).append('\n');
        }
        return sb.toString();
    }

    private static void gauge(StringBuilder sb, String name, String help, long value) {
        metric(sb, name, help, "gauge", value);
    }

    private static void counter(StringBuilder sb, String name, String help, long value) {
        metric(sb, name, help, "counter", value);
    }

    private static void metric(StringBuilder sb, String name, String help, String type, long value) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        sb.append(name).append(' ').append(value).append('\n');
    }
}
