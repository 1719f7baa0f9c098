package dev.otc.e2ee.router;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * The last handler of an authenticated connection (pipeline: {@link WireFrameDecoder}, {@link MediaForwarder},
 * {@link SessionHandler}, this) and the owner of its state: open or closed, its grant, its {@link SessionMember}.
 * It answers refusals (ERROR, and closing for fatal ones), leaves the session exactly once (socket closed, fatal
 * error, router shutdown, session moved), and drains the send queue when the socket becomes writable. Everything
 * here runs on the channel's event loop; other threads reach it only through {@link SessionMember#onOwnLoop}.
 */
final class ConnectionLifecycle extends ChannelInboundHandlerAdapter {

    private static final System.Logger LOG = System.getLogger(ConnectionLifecycle.class.getName());

    /** Name in the pipeline. */
    static final String NAME = "otc-lifecycle";

    private final RouterCore core;
    private final Channel channel;
    final RouterSession session;
    final SessionMember member;
    final ClientGrant grant;
    private boolean closed;
    /** Set when the client said DISCONNECT, to report reason 1 instead of 2. */
    private boolean clientDisconnected;

    private ConnectionLifecycle(RouterCore core, Channel channel, RouterSession session, SessionMember member,
                                ClientGrant grant) {
        this.core = core;
        this.channel = channel;
        this.session = session;
        this.member = member;
        this.grant = grant;
    }

    /**
     * Joins the session after a valid CONNECT ({@link HandshakeHandler} calls it on the channel's event loop, then
     * puts the returned handler in the pipeline). A refusal (session expired or full) throws before any side effect.
     */
    static ConnectionLifecycle join(RouterCore core, Channel channel, RouterSession s, ClientGrant g)
            throws ProtocolException {
        SessionMember m = new SessionMember(java.util.UUID.randomUUID().toString(), g.connectionData(),
                System.currentTimeMillis(), new OutboundQueue(channel, core, s.id), channel);
        NodeDirectory d = core.directory;
        s.join(m, g.role(), d == null ? null : d.otherMediaUrls());
        core.stats.connectionOpened();
        return new ConnectionLifecycle(core, channel, s, m, g);
    }

    /** False once the connection left its session: whatever it still sends is dropped unread. */
    boolean isOpen() {
        return !closed;
    }

    /** A message was refused: ERROR and the connection stays, or (fatal) ERROR and close. */
    void refused(ProtocolException e) {
        if (e.fatal) {
            fail(e);
        } else if (!closed) {
            member.queue().offerControl(Wire.error(channel.alloc(), e.code, e.getMessage(), e.context));
        }
    }

    /** The client said DISCONNECT: close, and the others see reason 1 (client disconnected). */
    void clientDisconnected() {
        clientDisconnected = true;
        channel.close();
    }

    /** Sends ERROR and closes; what is still queued for this client is discarded. */
    private void fail(ProtocolException e) {
        if (closed) {
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
        if (closed) {
            return;
        }
        leave(Wire.DROPPED_FORCED);
        channel.writeAndFlush(Wire.disconnecting(channel.alloc(), ErrorCodes.ROUTER_SHUTDOWN, message))
                .addListener(ChannelFutureListener.CLOSE);
    }

    /** Several nodes: REDIRECT(url, reason), then close (the session moved, or this node drains). */
    void redirect(String url, int reason) {
        if (closed) {
            return;
        }
        leave(Wire.DROPPED_FORCED);
        core.stats.redirectSent(reason);
        channel.writeAndFlush(Wire.redirect(channel.alloc(), url, reason)).addListener(ChannelFutureListener.CLOSE);
    }

    /** Several nodes: the other live nodes changed. */
    void sendNodes(List<String> otherUrls) {
        if (!closed) {
            member.queue().offerControl(Wire.nodes(channel.alloc(), otherUrls));
        }
    }

    /** Leaves the session once: its streams end, its subscriptions go, the others are told (by the session). */
    private void leave(int reason) {
        if (closed) {
            return;
        }
        closed = true;
        RouterSession.Ended ended = session.leave(member, reason);
        if (ended != null) {
            core.streamsEnded(session, ended);
        }
        member.queue().close();
        core.stats.connectionClosed();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        // The handlers before this one consume every message; nothing is expected here.
        ReferenceCountUtil.release(msg);
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
        if (ctx.channel().isWritable()) {
            member.queue().drain();
        }
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        leave(clientDisconnected ? Wire.DROPPED_CLIENT_DISCONNECTED : Wire.DROPPED_NETWORK_LOST);
        super.channelInactive(ctx);
    }
}
