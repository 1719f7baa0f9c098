package dev.otc.e2ee.router;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.netty.channel.EventLoopGroup;

/**
 * This node's view of the shared session directory on Redis (keys and scripts: {@link DirectoryScripts}). Every call
 * is asynchronous and bounded by the command timeout; nothing on the media path calls it, so established media keeps
 * flowing while Redis is away. While Redis is unreachable commands fail at once (they are not queued), REST answers
 * 503 and CONNECTs for sessions this node does not hold are refused.
 */
final class NodeDirectory implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(NodeDirectory.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);

    /** A live node as it registered itself. */
    record Node(String id, String mediaUrl, String restUrl, int capacity, long load, boolean draining) {
    }

    /** Where {@code session/create} placed a session. */
    record Placement(String ownerId, String mediaUrl) {
    }

    /** A session's settings as recorded at creation. */
    record SessionMeta(boolean e2ee, MediaMode mode, boolean archiveAlways, String location, long createdMs) {
    }

    /** Outcome of {@link #resolve}: {@code meta == null} = unknown session; {@code redirectUrl != null} = elsewhere. */
    record Resolution(SessionMeta meta, String redirectUrl, List<String> knownStreamIds, boolean noNodeAvailable) {
    }

    /** What the REST layer needs about a session held by another node. */
    record RemoteSession(SessionMeta meta, List<JsonNode> streams) {
    }

    private final DirectoryConfig config;
    private final RouterCore core;
    private final int capacity;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final RedisAsyncCommands<String, String> redis;
    private final AtomicBoolean heartbeatRunning = new AtomicBoolean();
    private volatile String mediaUrl;
    private volatile String restUrl;
    private volatile boolean draining;
    private volatile List<Node> liveNodes = List.of();
    private volatile List<String> otherMediaUrls = List.of();
    private ScheduledFuture<?> heartbeatTask;

    /** Connects to Redis (fails at once with a clear message when it cannot). */
    NodeDirectory(DirectoryConfig config, RouterCore core) {
        this.config = config;
        this.core = core;
        this.capacity = config.capacity() > 0 ? config.capacity() : core.config.limits().maxSessions();
        RedisURI uri;
        try {
            uri = RedisURI.create(config.redisUri());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad --redis URI: " + e.getMessage(), e);
        }
        uri.setTimeout(COMMAND_TIMEOUT);
        client = RedisClient.create(uri);
        // Fail fast while Redis is away instead of queueing commands behind a reconnect: a REST caller gets its 503
        // now, and nothing piles up in memory.
        client.setOptions(ClientOptions.builder().autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT)).build());
        try {
            connection = client.connect();
        } catch (RuntimeException e) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            throw new IllegalStateException("cannot reach Redis at " + uri.getHost() + ":" + uri.getPort() + ": "
                    + e.getMessage(), e);
        }
        redis = connection.async();
    }

    String nodeId() {
        return config.nodeId();
    }

    DirectoryConfig config() {
        return config;
    }

    boolean draining() {
        return draining;
    }

    /** Media URLs of the other live nodes, as of the last heartbeat. */
    List<String> otherMediaUrls() {
        return otherMediaUrls;
    }

    List<Node> liveNodes() {
        return liveNodes;
    }

    /** Registers the node (synchronously: the node is in the candidate set when start returns) and starts beating. */
    void start(String ownMediaUrl, String ownRestUrl, EventLoopGroup group) {
        this.mediaUrl = config.advertiseUrl() != null ? config.advertiseUrl() : ownMediaUrl;
        this.restUrl = ownRestUrl;
        try {
            heartbeat().toCompletableFuture().get(COMMAND_TIMEOUT.toMillis() * 3, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot register this node in Redis: " + e.getMessage(), e);
        }
        long period = config.heartbeat().toMillis();
        heartbeatTask = group.next().scheduleAtFixedRate(this::beat, period, period, TimeUnit.MILLISECONDS);
    }

    private void beat() {
        if (!heartbeatRunning.compareAndSet(false, true)) {
            return;   // the previous one is still waiting for Redis: do not pile up
        }
        heartbeat().whenComplete((v, e) -> {
            heartbeatRunning.set(false);
            if (e != null) {
                core.stats.directoryError();
                LOG.log(System.Logger.Level.WARNING, () -> "directory heartbeat failed: " + e.getMessage());
            }
        });
    }

    /** Own entry, then the sessions held here, then the others' entries. */
    private CompletionStage<Void> heartbeat() {
        ObjectNode me = JSON.createObjectNode();
        me.put("id", config.nodeId());
        me.put("media", mediaUrl);
        me.put("rest", restUrl);
        me.put("capacity", capacity);
        me.put("load", core.stats.connections());
        me.put("draining", draining);
        String key = "otc:node:" + config.nodeId();
        return redis.set(key, me.toString(), SetArgs.Builder.px(config.ttl().toMillis()))
                .thenCompose(ok -> redis.sadd("otc:nodes", config.nodeId()))
                .thenCompose(n -> refreshSessions())
                .thenCompose(v -> redis.<List<Object>>eval(DirectoryScripts.NODES, ScriptOutputType.MULTI, new String[0]))
                .thenCompose(list -> {
                    List<Node> nodes = new ArrayList<>();
                    for (Object o : list) {
                        Node n = parseNode(String.valueOf(o));
                        if (n != null) {
                            nodes.add(n);
                        }
                    }
                    updateLiveNodes(nodes);
                    return redis.hget("otc:owned", config.nodeId());
                })
                .thenAccept(owned -> core.stats.directoryAssigned(owned == null ? 0 : Long.parseLong(owned)));
    }

    private CompletionStage<Void> refreshSessions() {
        List<String> args = new ArrayList<>();
        args.add(config.nodeId());
        args.add(Long.toString(sessionKeyTtlMs()));
        args.addAll(core.sessions.keySet());
        if (args.size() == 2) {
            return CompletableFuture.completedFuture(null);
        }
        return redis.<List<Object>>eval(DirectoryScripts.REFRESH, ScriptOutputType.MULTI, new String[0],
                args.toArray(String[]::new)).thenAccept(lost -> {
                    for (int i = 0; i + 1 < lost.size(); i += 2) {
                        String sid = String.valueOf(lost.get(i));
                        String owner = lost.get(i + 1) == null ? "" : String.valueOf(lost.get(i + 1));
                        if (owner.isEmpty()) {
                            restore(sid);   // Redis forgot it (restarted empty): this node still runs it
                        } else {
                            core.sessionLost(sid, urlOf(owner));
                        }
                    }
                });
    }

    private void updateLiveNodes(List<Node> nodes) {
        liveNodes = List.copyOf(nodes);
        core.stats.directoryNodesLive(nodes.size());
        List<String> others = new ArrayList<>();
        for (Node n : nodes) {
            if (!n.id().equals(config.nodeId()) && !n.draining()) {
                others.add(n.mediaUrl());
            }
        }
        others.sort(null);
        if (!others.equals(otherMediaUrls)) {
            otherMediaUrls = List.copyOf(others);
            core.nodesChanged(otherMediaUrls);
        }
    }

    /** The media URL of a live node, null if it is not live. */
    String urlOf(String nodeId) {
        for (Node n : liveNodes) {
            if (n.id().equals(nodeId)) {
                return n.mediaUrl();
            }
        }
        return null;
    }

    private static Node parseNode(String json) {
        try {
            JsonNode n = JSON.readTree(json);
            return new Node(n.get("id").asText(), n.get("media").asText(), n.path("rest").asText(""),
                    n.get("capacity").asInt(), n.path("load").asLong(), n.path("draining").asBoolean());
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "ignoring a malformed node entry in Redis");
            return null;
        }
    }

    /** Session keys live as long as a session may stay empty (plus a margin); the owner's heartbeat extends them. */
    private long sessionKeyTtlMs() {
        Duration empty = core.config.limits().sessionEmptyTimeout();
        return empty.isZero() ? 0 : empty.toMillis() + 60_000;
    }

    /** Picks the owner of a new session; completes with null when every live node is full. */
    CompletionStage<Placement> createSession(String sessionId, SessionMeta meta) {
        return redis.<List<Object>>eval(DirectoryScripts.CREATE, ScriptOutputType.MULTI,
                new String[] {"otc:session:" + sessionId}, Boolean.toString(meta.e2ee()), meta.mode().name(),
                Boolean.toString(meta.archiveAlways()), meta.location() == null ? "" : meta.location(),
                Long.toString(meta.createdMs()), Long.toString(sessionKeyTtlMs()))
                .thenApply(r -> r.isEmpty() ? null : new Placement(String.valueOf(r.get(0)), String.valueOf(r.get(1))));
    }

    /** A CONNECT for a session this node does not hold: who has it (taking it over if its owner is gone). */
    CompletionStage<Resolution> resolve(String sessionId) {
        return redis.<List<Object>>eval(DirectoryScripts.RESOLVE, ScriptOutputType.MULTI,
                new String[] {"otc:session:" + sessionId, "otc:streams:" + sessionId}, config.nodeId(),
                draining ? "0" : "1").thenApply(r -> {
                    if (r.isEmpty()) {
                        return new Resolution(null, null, List.of(), false);
                    }
                    if (r.size() == 1) {
                        return new Resolution(null, null, List.of(), true);
                    }
                    SessionMeta meta = new SessionMeta(Boolean.parseBoolean(String.valueOf(r.get(2))),
                            MediaMode.valueOf(String.valueOf(r.get(3))), Boolean.parseBoolean(String.valueOf(r.get(4))),
                            emptyToNull(String.valueOf(r.get(5))), Long.parseLong(String.valueOf(r.get(6))));
                    if ("redirect".equals(r.get(0))) {
                        return new Resolution(meta, String.valueOf(r.get(1)), List.of(), false);
                    }
                    List<String> ids = new ArrayList<>();
                    for (int i = 7; i < r.size(); i++) {
                        ids.add(String.valueOf(r.get(i)));
                    }
                    return new Resolution(meta, null, ids, false);
                });
    }

    /** Draining: gives a session this node owns to the least loaded other node; completes with its media URL, or
     *  null when no node can take it now. A session already owned elsewhere completes with that owner's URL. */
    CompletionStage<String> move(String sessionId) {
        return redis.<List<Object>>eval(DirectoryScripts.MOVE, ScriptOutputType.MULTI,
                new String[] {"otc:session:" + sessionId}, config.nodeId()).thenApply(r -> {
                    if (r.isEmpty()) {
                        return null;
                    }
                    return "moved".equals(r.get(0)) ? String.valueOf(r.get(1)) : urlOf(String.valueOf(r.get(1)));
                });
    }

    /** Settings and streams of a session held anywhere (REST on a node that does not hold it); null if unknown. */
    CompletionStage<RemoteSession> lookup(String sessionId) {
        return redis.hgetall("otc:session:" + sessionId).thenCombine(redis.hvals("otc:streams:" + sessionId),
                (h, streams) -> {
                    if (h == null || h.get("owner") == null) {
                        return null;
                    }
                    SessionMeta meta = new SessionMeta(Boolean.parseBoolean(h.get("e2ee")),
                            MediaMode.valueOf(h.get("mode")), Boolean.parseBoolean(h.get("archive")),
                            emptyToNull(h.get("location")), Long.parseLong(h.get("created")));
                    List<JsonNode> list = new ArrayList<>();
                    for (String s : streams) {
                        try {
                            list.add(JSON.readTree(s));
                        } catch (Exception e) {
                            LOG.log(System.Logger.Level.WARNING, "ignoring a malformed stream entry in Redis");
                        }
                    }
                    list.sort((a, b) -> Long.compare(a.path("seq").asLong(), b.path("seq").asLong()));
                    return new RemoteSession(meta, list);
                });
    }

    /** Writes a session this node holds back into Redis, with its live streams (after Redis lost them). */
    private void restore(String sessionId) {
        RouterSession s = core.sessions.get(sessionId);
        if (s == null) {
            return;
        }
        ignoreResult(redis.eval(DirectoryScripts.RESTORE, ScriptOutputType.INTEGER,
                new String[] {"otc:session:" + sessionId}, config.nodeId(), Boolean.toString(s.e2ee), s.mediaMode.name(),
                Boolean.toString(s.archiveAlways), s.location == null ? "" : s.location, Long.toString(s.createdMs),
                Long.toString(sessionKeyTtlMs())));
        for (RouterStream st : s.streamsInOrder()) {
            streamPublished(sessionId, st);
        }
        LOG.log(System.Logger.Level.INFO, () -> "session " + sessionId + " written back to the directory");
    }

    /** Records a published stream for REST on other nodes (control path, fire and forget). */
    void streamPublished(String sessionId, RouterStream st) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", st.id);
        o.put("videoType", st.hasVideo ? "camera" : null);
        o.put("name", st.name);
        o.put("seq", st.createdMs);
        ignoreResult(redis.hset("otc:streams:" + sessionId, st.id, o.toString()));
    }

    void streamDestroyed(String sessionId, String streamId) {
        ignoreResult(redis.hdel("otc:streams:" + sessionId, streamId));
    }

    /** An expired session: removes it from Redis if this node still owns it. */
    void release(String sessionId) {
        ignoreResult(redis.eval(DirectoryScripts.RELEASE, ScriptOutputType.INTEGER,
                new String[] {"otc:session:" + sessionId, "otc:streams:" + sessionId}, config.nodeId()));
    }

    /** Leaves the candidate set now (the entry says draining until the node stops). */
    CompletionStage<Void> setDraining() {
        draining = true;
        return heartbeat();
    }

    private void ignoreResult(CompletionStage<?> f) {
        f.whenComplete((v, e) -> {
            if (e != null) {
                core.stats.directoryError();
                LOG.log(System.Logger.Level.DEBUG, () -> "directory update failed: " + e.getMessage());
            }
        });
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() || s.equals("null") ? null : s;
    }

    /** Stops beating and removes this node's entry (a clean stop: the others see it gone at once). */
    @Override
    public void close() {
        if (heartbeatTask != null) {
            heartbeatTask.cancel(false);
        }
        try {
            redis.del("otc:node:" + config.nodeId()).thenCompose(n -> redis.srem("otc:nodes", config.nodeId()))
                    .toCompletableFuture().get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "could not remove the node entry: " + e.getMessage());
        }
        connection.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }

    @Override
    public String toString() {
        return "NodeDirectory[" + Objects.requireNonNull(config.nodeId()) + "]";
    }
}
