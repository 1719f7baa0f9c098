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
                System.currentTimeMillis(), System.nanoTime());
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
            boolean expired;
            synchronized (s) {
                expired = s.expireIfEmptySince(emptySince);
            }
            if (expired) {
                synchronized (sessions) {
                    sessions.remove(s.id);
                }
                stats.sessionExpired();
                LOG.log(System.Logger.Level.DEBUG, () -> "session " + s.id + " expired (empty)");
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
