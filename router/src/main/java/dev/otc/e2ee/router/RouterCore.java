package dev.otc.e2ee.router;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.buffer.ByteBuf;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;

/** State shared by the REST and media handlers of one router. */
final class RouterCore {

    private static final System.Logger LOG = System.getLogger(RouterCore.class.getName());

    final Application app;
    final RouterConfig config;
    final RouterStats stats = new RouterStats();
    final Jwts jwts;
    final PendingConnections pending;
    final Map<String, RouterSession> sessions = new ConcurrentHashMap<>();
    final CopyOnWriteArrayList<MediaObserver> observers = new CopyOnWriteArrayList<>();
    final ChannelGroup mediaChannels = new DefaultChannelGroup("otc-media", GlobalEventExecutor.INSTANCE);
    final AtomicLong streamSequence = new AtomicLong();
    private final SecureRandom random = new SecureRandom();
    volatile String mediaUrl;
    /** The shared directory of several nodes (--redis); null for a single node, which then behaves as before. */
    volatile NodeDirectory directory;
    /** Starts draining (set by {@link MediaRouter} when it has a directory); {@code POST /node/drain} runs it. */
    volatile Runnable drainRequest;
    /** Set when the router stops: its streams end because the node goes, not because publishers unpublished, so
     *  their ids stay in the directory for the node that takes the sessions over (resume_stream_id). */
    volatile boolean stopping;

    RouterCore(Application app, RouterConfig config) {
        this.app = app;
        this.config = config;
        this.jwts = new Jwts(Clock.systemUTC(), config.limits(), stats);
        this.pending = new PendingConnections(config.limits().maxPreAuthConnections(),
                config.limits().maxPreAuthConnectionsPerAddress(), stats);
    }

    /** Unguessable ids: knowing a session id must not help anyone forge their way in (tokens do that), but ids
     *  also show up in logs and URLs, and a counter would leak how busy the router is. */
    String newId(String prefix) {
        byte[] b = new byte[18];
        random.nextBytes(b);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** @return the new session, or null when the application already has {@link RouterLimits#maxSessions()} */
    RouterSession createSession(boolean e2ee, MediaMode mode, boolean archiveAlways, String location) {
        RouterSession s = new RouterSession(newId("2_"), app.id(), e2ee, mode, archiveAlways, location,
                System.currentTimeMillis(), System.nanoTime(), config.limits(), stats);
        // REST handlers run on several event loops: check and insert together so the cap is exact.
        synchronized (sessions) {
            if (sessions.size() >= config.limits().maxSessions()) {
                stats.refused(LimitRefusal.SESSIONS);
                return null;
            }
            sessions.put(s.id, s);
        }
        stats.sessionCreated();
        return s;
    }

    /** Removes sessions empty for longer than {@link RouterLimits#sessionEmptyTimeout()}; run periodically. */
    void expireSessions() {
        long emptySince = System.nanoTime() - config.limits().sessionEmptyTimeout().toNanos();
        for (RouterSession s : sessions.values()) {
            if (s.expireIfEmptySince(emptySince)) {
                synchronized (sessions) {
                    sessions.remove(s.id);
                }
                stats.sessionExpired();
                NodeDirectory d = directory;
                if (d != null) {
                    d.release(s.id);
                }
                LOG.log(System.Logger.Level.DEBUG, () -> "session " + s.id + " expired (empty)");
            }
        }
    }

    /**
     * Several nodes: the directory says this node owns a session it does not hold yet (created through another node,
     * or taken over from a dead or draining one). Creates it once, whatever the number of CONNECTs racing here;
     * {@code knownStreamIds} are ids the session's streams had elsewhere, which their publishers may resume.
     */
    RouterSession materialize(String sessionId, NodeDirectory.SessionMeta meta, java.util.List<String> knownStreamIds) {
        synchronized (sessions) {
            RouterSession s = sessions.get(sessionId);
            if (s != null) {
                return s;
            }
            s = new RouterSession(sessionId, app.id(), meta.e2ee(), meta.mode(), meta.archiveAlways(), meta.location(),
                    meta.createdMs(), System.nanoTime(), config.limits(), stats);
            s.rememberStreamIds(knownStreamIds);
            sessions.put(sessionId, s);
            stats.sessionCreated();
            return s;
        }
    }

    /**
     * Removes a session from this node and sends each of its clients REDIRECT(url, 2) (or DISCONNECTING when there is
     * no node to send them to). Draining, or the directory gave the session to another node.
     */
    void moveSession(String sessionId, String url) {
        RouterSession s;
        synchronized (sessions) {
            s = sessions.remove(sessionId);
            if (s == null) {
                return;
            }
        }
        java.util.List<SessionMember> clients = s.markMoved();
        stats.sessionMoved();
        for (SessionMember c : clients) {
            c.onOwnLoop(l -> {
                if (url != null) {
                    l.redirect(url, Wire.REDIRECT_DRAINING);
                } else {
                    l.shutdown("the session moved and no router node can take it now");
                }
            });
        }
    }

    /**
     * Streams that ended (unpublished, or their publisher left): several nodes, the directory forgets them too, unless
     * the session moved away or this node stops: then it keeps their ids so the new owner lets publishers resume them.
     */
    void streamsEnded(RouterSession s, RouterSession.Ended ended) {
        NodeDirectory d = directory;
        if (d != null && ended.sessionLive() && !stopping) {
            for (RouterStream st : ended.streams()) {
                d.streamDestroyed(s.id, st.id);
            }
        }
    }

    /** Heartbeat: Redis gives a session this node holds to another node (this one was taken for dead). */
    void sessionLost(String sessionId, String ownerUrl) {
        LOG.log(System.Logger.Level.WARNING, () -> "session " + sessionId + " is owned by another node now: moving its clients");
        moveSession(sessionId, ownerUrl);
    }

    /** The set of other live nodes changed: tell every connected client (NODES). */
    void nodesChanged(java.util.List<String> otherUrls) {
        for (io.netty.channel.Channel ch : mediaChannels) {
            ConnectionLifecycle c = ch.pipeline().get(ConnectionLifecycle.class);
            if (c != null) {
                ch.eventLoop().execute(() -> c.sendNodes(otherUrls));
            }
        }
    }

    /** {@code wireMessage} includes the u32 length prefix, which observers do not see. */
    void notifyObservers(String sessionId, String streamId, MediaObserver.Direction direction, ByteBuf wireMessage) {
        ByteBuffer view = wireMessage.nioBuffer(wireMessage.readerIndex() + 4, wireMessage.readableBytes() - 4)
                .asReadOnlyBuffer();
        for (MediaObserver o : observers) {
            try {
                o.onMediaFrame(sessionId, streamId, direction, view.duplicate());
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "media observer failed", e);
            }
        }
    }
}
