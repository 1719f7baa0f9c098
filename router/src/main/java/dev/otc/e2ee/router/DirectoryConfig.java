package dev.otc.e2ee.router;

import java.time.Duration;
import java.util.Objects;

/**
 * How a router node joins the shared session directory on Redis (router/README.md, "Several nodes").
 *
 * @param redisUri     a Lettuce URI: {@code redis://host:port}, {@code rediss://} for TLS, {@code redis://:password@host}
 * @param nodeId       this node's id, unique among the nodes sharing the Redis
 * @param advertiseUrl the media URL other nodes hand out for this node; null = the node's own media URL
 * @param heartbeat    how often the node refreshes its entry (and reads the others')
 * @param ttl          how long an entry lives without a heartbeat: after it the node is dead and its sessions move
 * @param capacity     sessions this node may own; 0 = the router's {@link RouterLimits#maxSessions()}
 * @param drainTimeout how long draining waits for the clients to leave before the node stops anyway
 */
public record DirectoryConfig(String redisUri, String nodeId, String advertiseUrl, Duration heartbeat, Duration ttl,
                              int capacity, Duration drainTimeout) {

    public DirectoryConfig {
        Objects.requireNonNull(redisUri, "redisUri");
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(heartbeat, "heartbeat");
        Objects.requireNonNull(ttl, "ttl");
        Objects.requireNonNull(drainTimeout, "drainTimeout");
        if (nodeId.isEmpty() || nodeId.length() > 128 || !nodeId.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("node id must be 1..128 characters of A-Z a-z 0-9 . _ -");
        }
        if (heartbeat.toMillis() < 50) {
            throw new IllegalArgumentException("heartbeat must be at least 50 ms");
        }
        if (ttl.compareTo(heartbeat.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("the node TTL must be at least twice the heartbeat");
        }
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must be >= 0");
        }
        if (drainTimeout.isNegative()) {
            throw new IllegalArgumentException("drain timeout must not be negative");
        }
    }

    /** Defaults: heartbeat 1 s, TTL 3 s, capacity = max sessions, drain timeout 30 s. */
    public static DirectoryConfig of(String redisUri, String nodeId) {
        return new DirectoryConfig(redisUri, nodeId, null, Duration.ofSeconds(1), Duration.ofSeconds(3), 0,
                Duration.ofSeconds(30));
    }
}
