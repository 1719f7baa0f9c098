package dev.otc.e2ee.router;

import java.util.function.Consumer;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;

/**
 * One authenticated connection as its session and the other members see it: an immutable identity and a way to send
 * it something. Other threads may read the identity and offer messages to {@link #queue()} (which is thread-safe);
 * anything else about the connection (its state, grant, handlers) lives on its channel's event loop, reachable only
 * through {@link #onOwnLoop}. The session's bookkeeping about this member (what it publishes and subscribes to) is
 * kept by {@link SessionMembers}, not here.
 */
final class SessionMember {

    private final String connectionId;
    private final String connectionData;
    private final long createdMs;
    private final OutboundQueue queue;
    private final Channel channel;

    /** {@code queue} and {@code channel} may be null in tests of the membership bookkeeping alone. */
    SessionMember(String connectionId, String connectionData, long createdMs, OutboundQueue queue, Channel channel) {
        this.connectionId = connectionId;
        this.connectionData = connectionData;
        this.createdMs = createdMs;
        this.queue = queue;
        this.channel = channel;
    }

    String connectionId() {
        return connectionId;
    }

    String connectionData() {
        return connectionData;
    }

    long createdMs() {
        return createdMs;
    }

    /** Thread-safe: the only way another connection's thread affects this one. */
    OutboundQueue queue() {
        return queue;
    }

    /** For building messages addressed to anyone; allocators are thread-safe. */
    ByteBufAllocator alloc() {
        return channel.alloc();
    }

    /**
     * Runs {@code action} on this member's event loop with its {@link ConnectionLifecycle}, if the connection still
     * has one (router shutdown, session moved): the only way to change its state from another thread.
     */
    void onOwnLoop(Consumer<ConnectionLifecycle> action) {
        channel.eventLoop().execute(() -> {
            ConnectionLifecycle l = channel.pipeline().get(ConnectionLifecycle.class);
            if (l != null) {
                action.accept(l);
            }
        });
    }

    @Override
    public String toString() {
        return "SessionMember[" + connectionId + "]";
    }
}
