package dev.otc.e2ee.router;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * One authenticated client on the media port (after {@link HandshakeHandler}): the member side of docs/PROTOCOL.md
 * sec. 3 and the publisher side of forwarding. Runs on the channel's event loop; membership changes lock the session
 * (see {@link RouterSession}).
 */
final class ClientConnection extends ChannelInboundHandlerAdapter {

    private static final System.Logger LOG = System.getLogger(ClientConnection.class.getName());

    /** Name in the pipeline. */
    static final String NAME = "otc-client";

    private enum State { JOINING, CONNECTED, CLOSED }

    private final RouterCore core;
    private final Channel channel;
    private State state = State.JOINING;
    private RouterSession session;
    private String connectionId;
    private ClientGrant grant;
    private long createdMs;
    private OutboundQueue queue;
    /** Guarded by the session: streams this client publishes, and its subscriptions by stream id. */
    private final Map<String, RouterStream> published = new HashMap<>();
    private final Map<String, Subscription> subscriptions = new HashMap<>();
    /** Set when the client said DISCONNECT, to report reason 1 instead of 2. */
    private boolean clientDisconnected;

    ClientConnection(RouterCore core, Channel channel) {
        this.core = core;
        this.channel = channel;
    }

    String connectionId() {
        return connectionId;
    }

    OutboundQueue queue() {
        return queue;
    }

    ByteBufAllocator alloc() {
        return channel.alloc();
    }

    io.netty.util.concurrent.EventExecutor executor() {
        return channel.eventLoop();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf buf = (ByteBuf) msg;
        try {
            if (state == State.CLOSED) {
                return;
            }
            handle(buf);
        } catch (ProtocolException e) {
            if (e.fatal) {
                fail(e);
            } else {
                sendError(e.code, e.getMessage(), e.context);
            }
        } finally {
            buf.release();
        }
    }

    private void handle(ByteBuf buf) throws ProtocolException {
        int type = buf.getUnsignedByte(buf.readerIndex() + 4);
        if (type == Wire.MEDIA_FRAME) {
            onMediaFrame(buf);
            return;
        }
        ByteBuf body = buf.slice(buf.readerIndex() + 5, buf.readableBytes() - 5);
        WireReader r = new WireReader(body, Wire.typeName(type));
        switch (type) {
            case Wire.PUBLISH -> onPublish(r);
            case Wire.UNPUBLISH -> onUnpublish(r);
            case Wire.SUBSCRIBE -> onSubscribe(r);
            case Wire.UNSUBSCRIBE -> onUnsubscribe(r);
            case Wire.KEYFRAME_REQUEST -> onKeyframeRequest(r);
            case Wire.SIGNAL -> onSignal(r);
            case Wire.DISCONNECT -> {
                r.end();
                clientDisconnected = true;
                channel.close();
            }
            case Wire.HELLO, Wire.CONNECT ->
                    throw ProtocolException.malformed(Wire.typeName(type) + " after the connection was established");
            default -> throw ProtocolException.malformed("unknown message type " + Wire.typeName(type));
        }
    }

    /**
     * Joins the session after a valid CONNECT ({@link HandshakeHandler} calls it, then puts this handler in the
     * pipeline). The session's limits are checked under its lock, before any side effect, so a refusal leaves nothing
     * to undo and concurrent CONNECTs cannot overshoot the cap.
     */
    void join(RouterSession s, ClientGrant g) throws ProtocolException {
        synchronized (s) {
            if (s.expired()) {
                throw new ProtocolException(ErrorCodes.INVALID_SESSION_ID,
                        "the token's session does not exist on this router (it expired)", "", true);
            }
            int max = core.config.limits().maxConnectionsPerSession();
            if (s.connectionCount() >= max) {
                core.stats.refused(LimitRefusal.CONNECTIONS_PER_SESSION);
                throw new ProtocolException(ErrorCodes.SESSION_FULL,
                        "the session is full: it has its maximum of " + max + " connections", "", true);
            }
            grant = g;
            session = s;
            connectionId = java.util.UUID.randomUUID().toString();
            createdMs = System.currentTimeMillis();
            queue = new OutboundQueue(channel, core, s.id);
            state = State.CONNECTED;
            core.stats.connectionOpened();
            ByteBufAllocator a = channel.alloc();
            queue.offerControl(Wire.connected(a, connectionId, s.id, s.e2ee, g.role(), g.connectionData(), createdMs));
            NodeDirectory d = core.directory;
            if (d != null) {
                queue.offerControl(Wire.nodes(a, d.otherMediaUrls()));   // several nodes only (PROTOCOL.md sec. 7)
            }
            List<ClientConnection> others = s.connections();
            for (ClientConnection o : others) {
                queue.offerControl(Wire.connectionCreated(a, o.connectionId, o.grant.connectionData(), o.createdMs));
            }
            for (RouterStream st : s.streamsInOrder()) {
                queue.offerControl(Wire.streamCreated(a, st));
            }
            s.add(this);
            for (ClientConnection o : others) {
                o.queue.offerControl(Wire.connectionCreated(a, connectionId, g.connectionData(), createdMs));
            }
        }
    }

    private void onPublish(WireReader r) throws ProtocolException {
        long publishId = r.u32();
        String name = r.str(WireReader.MAX_NAME_BYTES, "name");
        boolean hasAudio = r.u8() != 0;
        boolean hasVideo = r.u8() != 0;
        int videoCodec = r.u8();
        int audioCodec = r.u8();
        boolean encrypted = r.u8() != 0;
        // Optional trailing field (PROTOCOL.md sec. 7): the old layout ends here.
        String resume = r.remaining() > 0 ? r.str(WireReader.MAX_NAME_BYTES, "resume_stream_id") : "";
        r.end();
        String ctx = Long.toString(publishId);
        if (!grant.role().canPublish()) {
            throw ProtocolException.refused(ErrorCodes.PERMISSION_DENIED,
                    "a " + grant.role().claimValue() + " token cannot publish", ctx);
        }
        if (session.e2ee && !encrypted) {
            throw ProtocolException.refused(ErrorCodes.UNENCRYPTED_FRAME_REFUSED,
                    "this session is end-to-end encrypted: publish with encryption enabled", ctx);
        }
        RouterStream st;
        synchronized (session) {
            RouterLimits limits = core.config.limits();
            if (published.size() >= limits.maxStreamsPerConnection()) {
                core.stats.refused(LimitRefusal.STREAMS_PER_CONNECTION);
                throw ProtocolException.refused(ErrorCodes.STREAM_LIMIT, "stream limit: this connection already publishes "
                        + limits.maxStreamsPerConnection() + " streams", ctx);
            }
            if (session.streams.size() >= limits.maxStreamsPerSession()) {
                core.stats.refused(LimitRefusal.STREAMS_PER_SESSION);
                throw ProtocolException.refused(ErrorCodes.STREAM_LIMIT, "stream limit: the session already has "
                        + limits.maxStreamsPerSession() + " streams", ctx);
            }
            // Resume only an id this session had and no live stream has: a client cannot take a live stream's id, nor
            // pick ids of its own. Anything else gets a fresh id, as with the old layout.
            String id = !resume.isEmpty() && session.knowsStreamId(resume) && !session.streams.containsKey(resume)
                    ? resume : java.util.UUID.randomUUID().toString();
            st = new RouterStream(id, core.streamSequence.incrementAndGet(), this, name,
                    hasAudio, hasVideo, videoCodec, audioCodec, session.e2ee, System.currentTimeMillis());
            session.rememberStreamId(st.id, core.knownStreamIdLimit());
            published.put(st.id, st);
            session.streams.put(st.id, st);
            core.stats.streamCreated();
            queue.offerControl(Wire.published(channel.alloc(), publishId, st.id));
            for (ClientConnection c : session.connections()) {
                c.queue.offerControl(Wire.streamCreated(channel.alloc(), st));
            }
        }
        NodeDirectory d = core.directory;
        if (d != null) {
            d.streamPublished(session.id, st);
        }
    }

    private void onUnpublish(WireReader r) throws ProtocolException {
        String streamId = r.str(WireReader.MAX_NAME_BYTES, "stream_id");
        r.end();
        synchronized (session) {
            RouterStream st = published.get(streamId);
            if (st == null) {
                throw ProtocolException.refused(ErrorCodes.STREAM_NOT_FOUND, "no stream " + streamId
                        + " published by this connection", streamId);
            }
            destroyLocked(st, Wire.DESTROYED_UNPUBLISHED);
        }
    }

    /** Caller holds the session. */
    private void destroyLocked(RouterStream st, int reason) {
        published.remove(st.id);
        session.streams.remove(st.id);
        core.stats.streamDestroyed();
        for (Subscription sub : st.subscribers) {
            sub.subscriber.subscriptions.remove(st.id);
        }
        st.subscribers.clear();
        for (ClientConnection c : session.connections()) {
            c.queue.offerControl(Wire.streamDestroyed(channel.alloc(), st.id, reason));
        }
        NodeDirectory d = core.directory;
        if (d != null && !session.expired() && !core.stopping) {
            // A session that moved (or whose node stops) keeps its stream list in Redis: the new owner reads it so that
            // publishers can resume their ids.
            d.streamDestroyed(session.id, st.id);
        }
    }

    private void onSubscribe(WireReader r) throws ProtocolException {
        String streamId = r.str(WireReader.MAX_NAME_BYTES, "stream_id");
        r.end();
        if (!grant.role().canSubscribe()) {
            throw ProtocolException.refused(ErrorCodes.PERMISSION_DENIED,
                    "a " + grant.role().claimValue() + " token cannot subscribe", streamId);
        }
        RouterStream st;
        boolean requestKeyframe = false;
        synchronized (session) {
            st = session.streams.get(streamId);
            if (st == null) {
                throw ProtocolException.refused(ErrorCodes.STREAM_NOT_FOUND, "no stream " + streamId, streamId);
            }
            queue.offerControl(Wire.subscribed(channel.alloc(), streamId));
            if (!subscriptions.containsKey(streamId)) {
                Subscription sub = new Subscription(st, this);
                subscriptions.put(streamId, sub);
                st.subscribers.add(sub);
                // Joining a running video stream: its decoder needs a keyframe, so ask for one now rather than wait
                // for the next periodic one. Deltas still pass: the client decides what to do with them.
                requestKeyframe = st.hasVideo && st.videoStarted;
            }
        }
        if (requestKeyframe) {
            sendKeyframeRequest(st);
        }
    }

    private void onUnsubscribe(WireReader r) throws ProtocolException {
        String streamId = r.str(WireReader.MAX_NAME_BYTES, "stream_id");
        r.end();
        synchronized (session) {
            Subscription sub = subscriptions.remove(streamId);
            if (sub == null) {
                throw ProtocolException.refused(ErrorCodes.STREAM_NOT_FOUND, "not subscribed to stream " + streamId,
                        streamId);
            }
            sub.stream.subscribers.remove(sub);
        }
    }

    private void onKeyframeRequest(WireReader r) throws ProtocolException {
        String streamId = r.str(WireReader.MAX_NAME_BYTES, "stream_id");
        r.end();
        Subscription sub;
        synchronized (session) {
            sub = subscriptions.get(streamId);
        }
        if (sub == null) {
            if (session.streams.get(streamId) == null) {
                throw ProtocolException.refused(ErrorCodes.STREAM_NOT_FOUND, "no stream " + streamId, streamId);
            }
            core.stats.refused(LimitRefusal.KEYFRAME_REQUEST_NOT_SUBSCRIBED);
            throw ProtocolException.refused(ErrorCodes.PERMISSION_DENIED,
                    "KEYFRAME_REQUEST refused: this connection does not subscribe to stream " + streamId, streamId);
        }
        // A subscriber may ask about once per interval (a short burst allowed); more would let one client make a
        // publisher send keyframes (its largest frames) back to back to everyone. The excess is dropped, counted.
        RouterLimits limits = core.config.limits();
        if (!sub.allowKeyframeRequest(System.nanoTime(), limits.keyframeRequestInterval().toNanos(),
                limits.keyframeRequestBurst())) {
            core.stats.refused(LimitRefusal.KEYFRAME_REQUEST_RATE);
            return;
        }
        sendKeyframeRequest(sub.stream);
    }

    private void sendKeyframeRequest(RouterStream st) {
        core.stats.keyframeRequested();
        st.publisher.queue.offerControl(Wire.keyframeRequest(channel.alloc(), st.id));
    }

    private void onSignal(WireReader r) throws ProtocolException {
        String to = r.str(WireReader.MAX_NAME_BYTES, "to_connection_id");
        String type = r.str(WireReader.MAX_NAME_BYTES, "type");
        String data = r.str(WireReader.MAX_SIGNAL_DATA_BYTES, "data");
        r.end();
        synchronized (session) {
            if (to.isEmpty()) {
                for (ClientConnection c : session.connections()) {
                    if (c != this) {
                        c.queue.offerControl(Wire.signal(channel.alloc(), connectionId, type, data));
                    }
                }
            } else {
                ClientConnection target = session.connection(to);
                if (target == null) {
                    throw ProtocolException.refused(ErrorCodes.NOT_CONNECTED, "no connection " + to + " in this session", to);
                }
                target.queue.offerControl(Wire.signal(channel.alloc(), connectionId, type, data));
            }
        }
    }

    /** The hot path: parse the clear header, check, hand a reference to each subscriber's queue. */
    private void onMediaFrame(ByteBuf msg) throws ProtocolException {
        int size = msg.readableBytes();
        ByteBuf body = msg.slice(msg.readerIndex() + 5, size - 5);
        WireReader r = new WireReader(body, "MEDIA_FRAME");
        String streamId = r.str(WireReader.MAX_NAME_BYTES, "stream_id");
        int media = r.u8();
        r.u8(); // codec: opaque to the router
        int flags = r.u8();
        r.u64();
        r.u32();
        r.u8();
        r.u8();
        if (media != Wire.MEDIA_AUDIO && media != Wire.MEDIA_VIDEO) {
            throw ProtocolException.malformed("MEDIA_FRAME.media is " + media + ", expected 0 (audio) or 1 (video)");
        }
        core.stats.frameReceived(size);
        RouterStream st = session.streams.get(streamId);
        if (st == null || st.publisher != this) {
            core.stats.frameDropped(DropReason.UNKNOWN_STREAM);
            throw ProtocolException.refused(ErrorCodes.STREAM_NOT_FOUND,
                    "MEDIA_FRAME for stream " + streamId + " which this connection does not publish", streamId);
        }
        if (session.e2ee && (flags & Wire.FLAG_ENCRYPTED) == 0) {
            core.stats.frameDropped(DropReason.UNENCRYPTED);
            throw ProtocolException.refused(ErrorCodes.UNENCRYPTED_FRAME_REFUSED,
                    "frame refused: this session is end-to-end encrypted and the frame is not marked encrypted", streamId);
        }
        if (!core.observers.isEmpty()) {
            core.notifyObservers(session.id, streamId, MediaObserver.Direction.RECEIVED, msg);
        }
        if (media == Wire.MEDIA_AUDIO) {
            for (Subscription sub : st.subscribers) {
                sub.subscriber.queue.offerAudio(msg.retainedDuplicate(), streamId);
            }
            return;
        }
        st.videoStarted = true;
        boolean keyframe = (flags & Wire.FLAG_KEYFRAME) != 0;
        boolean request = false;
        for (Subscription sub : st.subscribers) {
            OutboundQueue.VideoResult res = sub.subscriber.queue.offerVideo(msg.retainedDuplicate(), sub, keyframe);
            request |= res == OutboundQueue.VideoResult.DROPPED_REQUEST_KEYFRAME;
        }
        if (request) {
            sendKeyframeRequest(st);
        }
    }

    private void sendError(int code, String message, String context) {
        if (queue != null) {
            queue.offerControl(Wire.error(channel.alloc(), code, message, context));
        } else {
            channel.writeAndFlush(Wire.error(channel.alloc(), code, message, context), channel.voidPromise());
        }
    }

    /** Sends ERROR and closes; what is still queued for this client is discarded. */
    private void fail(ProtocolException e) {
        if (state == State.CLOSED) {
            return;
        }
        if (e.code == ErrorCodes.PROTOCOL_ERROR) {
            core.stats.protocolError();
        }
        LOG.log(System.Logger.Level.DEBUG, () -> "closing " + channel.remoteAddress() + ": " + e.code + " " + e.getMessage());
        ByteBuf err = Wire.error(channel.alloc(), e.code, e.getMessage(), e.context);
        leave(Wire.DROPPED_NETWORK_LOST);
        channel.writeAndFlush(err).addListener(ChannelFutureListener.CLOSE);
    }

    /** Router shutdown: DISCONNECTING, then close. */
    void shutdown(String message) {
        if (state == State.CLOSED) {
            return;
        }
        leave(Wire.DROPPED_FORCED);
        channel.writeAndFlush(Wire.disconnecting(channel.alloc(), ErrorCodes.ROUTER_SHUTDOWN, message))
                .addListener(ChannelFutureListener.CLOSE);
    }

    /** Several nodes: REDIRECT(url, reason), then close (the session moved, or this node drains). */
    void redirect(String url, int reason) {
        if (state == State.CLOSED) {
            return;
        }
        leave(Wire.DROPPED_FORCED);
        core.stats.redirectSent(reason);
        channel.writeAndFlush(Wire.redirect(channel.alloc(), url, reason)).addListener(ChannelFutureListener.CLOSE);
    }

    /** Several nodes: the other live nodes changed. */
    void sendNodes(List<String> otherUrls) {
        if (state == State.CONNECTED) {
            queue.offerControl(Wire.nodes(channel.alloc(), otherUrls));
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ProtocolException answer = ProtocolException.answerFor(cause, LOG, "after CONNECT");
        if (answer != null) {
            fail(answer);
        } else {
            ctx.close();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        if (queue != null && ctx.channel().isWritable()) {
            queue.drain();
        }
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        leave(clientDisconnected ? Wire.DROPPED_CLIENT_DISCONNECTED : Wire.DROPPED_NETWORK_LOST);
        super.channelInactive(ctx);
    }

    /** Leaves the session once: destroys this client's streams, drops its subscriptions, tells the others. */
    private void leave(int reason) {
        State was = state;
        state = State.CLOSED;
        if (was != State.CONNECTED) {
            return;
        }
        synchronized (session) {
            session.remove(this);
            for (RouterStream st : List.copyOf(published.values())) {
                destroyLocked(st, Wire.DESTROYED_PUBLISHER_LEFT);
            }
            for (Subscription sub : subscriptions.values()) {
                sub.stream.subscribers.remove(sub);
            }
            subscriptions.clear();
            for (ClientConnection c : session.connections()) {
                c.queue.offerControl(Wire.connectionDropped(channel.alloc(), connectionId, reason));
            }
        }
        queue.close();
        core.stats.connectionClosed();
    }
}
