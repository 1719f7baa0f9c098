package dev.otc.e2ee.router;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * A media connection until CONNECT (docs/PROTOCOL.md sec. 2): HELLO, then CONNECT with a client token, within the
 * handshake deadline, holding one of the bounded pending-connection slots. On success it replaces itself with the
 * member handlers ({@link MediaForwarder}, {@link SessionHandler}, {@link ConnectionLifecycle}) and swaps the small
 * pre-auth frame decoder for the full-size one, so nothing an unauthenticated peer sends is handled by code that
 * trusts a member. All state is confined to the channel's event loop.
 */
final class HandshakeHandler extends ChannelInboundHandlerAdapter {

    private static final System.Logger LOG = System.getLogger(HandshakeHandler.class.getName());

    private enum State { AWAIT_HELLO, AWAIT_CONNECT, RESOLVING, DONE }

    private final RouterCore core;
    private ChannelHandlerContext ctx;
    private State state = State.AWAIT_HELLO;
    private ScheduledFuture<?> deadline;
    /** The remote address while this connection holds a slot of {@link RouterCore#pending}. */
    private InetAddress pendingSlot;

    HandshakeHandler(RouterCore core) {
        this.core = core;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        this.ctx = ctx;
        core.mediaChannels.add(ctx.channel());
        InetAddress address = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
        LimitRefusal refused = core.pending.tryAcquire(address);
        if (refused != null) {
            core.stats.refused(refused);
            state = State.DONE;
            String what = refused == LimitRefusal.PRE_AUTH_CONNECTIONS
                    ? "the router has " + core.pending.maxTotal() + " connections that have not completed CONNECT"
                    : "this address has " + core.pending.maxPerAddress() + " connections that have not completed CONNECT";
            ctx.writeAndFlush(Wire.error(ctx.alloc(), ErrorCodes.TOO_MANY_PENDING_CONNECTIONS,
                    "too many pending connections: " + what + "; retry later", ""))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        pendingSlot = address;
        long ms = core.config.limits().handshakeTimeout().toMillis();
        deadline = ctx.executor().schedule(() -> {
            if (state != State.DONE) {
                core.stats.refused(LimitRefusal.HANDSHAKE_TIMEOUT);
                fail(ProtocolException.malformed("CONNECT not completed within " + ms + " ms"));
            }
        }, ms, TimeUnit.MILLISECONDS);
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf buf = (ByteBuf) msg;
        boolean mayHoldToken = state == State.AWAIT_CONNECT;
        try {
            if (state == State.RESOLVING) {
                throw ProtocolException.malformed(Wire.typeName(buf.getUnsignedByte(buf.readerIndex() + 4))
                        + " before CONNECTED");
            }
            if (state != State.DONE) {
                handle(buf);
            }
        } catch (ProtocolException e) {
            fail(e);   // every refusal before CONNECTED ends the connection
        } finally {
            if (mayHoldToken) {
                // The token is in these bytes (and in the pooled memory behind them): zero them before release.
                // The String copies the JWT library made cannot be wiped (router/README.md says so).
                buf.setZero(buf.readerIndex(), buf.readableBytes());
            }
            buf.release();
        }
    }

    private void handle(ByteBuf buf) throws ProtocolException {
        int type = buf.getUnsignedByte(buf.readerIndex() + 4);
        WireReader r = new WireReader(buf.slice(buf.readerIndex() + 5, buf.readableBytes() - 5), Wire.typeName(type));
        if (state == State.AWAIT_HELLO) {
            if (type != Wire.HELLO) {
                throw ProtocolException.malformed("expected HELLO first, got " + Wire.typeName(type));
            }
            onHello(r);
        } else {
            if (type != Wire.CONNECT) {
                throw ProtocolException.malformed("expected CONNECT after HELLO_ACK, got " + Wire.typeName(type));
            }
            onConnect(r);
        }
    }

    private void onHello(WireReader r) throws ProtocolException {
        long magic = r.u32();
        if (magic != Wire.MAGIC) {
            throw ProtocolException.malformed(String.format("bad HELLO magic 0x%08X, expected 0x%08X (\"OTCP\")",
                    magic, Wire.MAGIC));
        }
        int protocol = r.u16();
        int format = r.u16();
        r.str(WireReader.MAX_NAME_BYTES, "client_name");
        r.end();
        if (protocol != Wire.PROTOCOL_VERSION) {
            throw new ProtocolException(ErrorCodes.INCOMPATIBLE_PROTOCOL, "incompatible session protocol: client speaks version "
                    + protocol + ", router speaks version " + Wire.PROTOCOL_VERSION, "", true);
        }
        if (format != Wire.E2EE_FORMAT_VERSION) {
            throw new ProtocolException(ErrorCodes.E2EE_INCOMPATIBLE_VERSION, "incompatible E2EE frame format: client uses version "
                    + format + ", router expects version " + Wire.E2EE_FORMAT_VERSION, "", true);
        }
        state = State.AWAIT_CONNECT;
        ctx.writeAndFlush(Wire.helloAck(ctx.alloc(), core.config.routerName()), ctx.voidPromise());
    }

    private void onConnect(WireReader r) throws ProtocolException {
        String token = r.str(16 * 1024, "token");
        r.end();
        ClientGrant g;
        try {
            g = core.jwts.verifyClient(token, core.app);
        } catch (TokenException e) {
            throw new ProtocolException(ErrorCodes.AUTHORIZATION_FAILURE, "authorization failed: " + e.getMessage(), "", true);
        }
        RouterSession s = core.sessions.get(g.sessionId());
        NodeDirectory d = core.directory;
        if (s == null && d != null) {
            // Several nodes: ask the directory who owns the session (it may be created elsewhere, or taken over here).
            state = State.RESOLVING;
            d.resolve(g.sessionId()).whenComplete((res, err) -> ctx.executor().execute(() -> onResolved(g, res, err)));
            return;
        }
        if (s == null || !s.applicationId.equals(core.app.id())) {
            throw new ProtocolException(ErrorCodes.INVALID_SESSION_ID, "the token's session does not exist on this router",
                    "", true);
        }
        joinSession(s, g);
    }

    private void onResolved(ClientGrant g, NodeDirectory.Resolution res, Throwable err) {
        if (state != State.RESOLVING) {
            return;   // closed or timed out meanwhile
        }
        try {
            if (err != null) {
                core.stats.directoryError();
                throw new ProtocolException(ErrorCodes.INVALID_SESSION_ID,
                        "the session directory is unavailable; retry later", "", true);
            }
            if (res.noNodeAvailable()) {
                throw new ProtocolException(ErrorCodes.INVALID_SESSION_ID,
                        "no router node can take the session now; retry later", "", true);
            }
            if (res.meta() == null) {
                throw new ProtocolException(ErrorCodes.INVALID_SESSION_ID, "the token's session does not exist", "", true);
            }
            if (res.redirectUrl() != null) {
                finish();
                core.stats.redirectSent(Wire.REDIRECT_NOT_OWNER);
                ctx.writeAndFlush(Wire.redirect(ctx.alloc(), res.redirectUrl(), Wire.REDIRECT_NOT_OWNER))
                        .addListener(ChannelFutureListener.CLOSE);
                return;
            }
            state = State.AWAIT_CONNECT;
            joinSession(core.materialize(g.sessionId(), res.meta(), res.knownStreamIds()), g);
        } catch (ProtocolException e) {
            fail(e);
        }
    }

    private void joinSession(RouterSession s, ClientGrant g) throws ProtocolException {
        // Checks the session's limits and joins under its lock; throws before any side effect.
        ConnectionLifecycle member = ConnectionLifecycle.join(core, ctx.channel(), s, g);
        state = State.DONE;
        cancelDeadline();
        releasePendingSlot();
        // Hand over: the member handlers first, then the full-size decoder. Bytes the small decoder still holds move
        // to the new one, which may deliver them to the member handlers before this returns.
        ChannelPipeline p = ctx.pipeline();
        p.replace(this, MediaForwarder.NAME, new MediaForwarder(core, member));
        p.addAfter(MediaForwarder.NAME, SessionHandler.NAME, new SessionHandler(core, member));
        p.addAfter(SessionHandler.NAME, ConnectionLifecycle.NAME, member);
        p.replace(WireFrameDecoder.NAME, WireFrameDecoder.NAME,
                new WireFrameDecoder(core.stats, Wire.MAX_MESSAGE_LENGTH, false));
    }

    /** Sends ERROR and closes. */
    private void fail(ProtocolException e) {
        if (state == State.DONE) {
            return;
        }
        finish();
        if (e.code == ErrorCodes.PROTOCOL_ERROR) {
            core.stats.protocolError();
        }
        LOG.log(System.Logger.Level.DEBUG, () -> "closing " + ctx.channel().remoteAddress() + " before CONNECT: "
                + e.code + " " + e.getMessage());
        ctx.writeAndFlush(Wire.error(ctx.alloc(), e.code, e.getMessage(), e.context))
                .addListener(ChannelFutureListener.CLOSE);
    }

    /** Router shutdown: DISCONNECTING, then close. */
    void shutdown(String message) {
        if (state == State.DONE) {
            return;
        }
        finish();
        ctx.writeAndFlush(Wire.disconnecting(ctx.alloc(), ErrorCodes.ROUTER_SHUTDOWN, message))
                .addListener(ChannelFutureListener.CLOSE);
    }

    private void finish() {
        state = State.DONE;
        cancelDeadline();
        releasePendingSlot();
    }

    private void cancelDeadline() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    private void releasePendingSlot() {
        if (pendingSlot != null) {
            core.pending.release(pendingSlot);
            pendingSlot = null;
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ProtocolException answer = ProtocolException.answerFor(cause, LOG, "before CONNECT");
        if (answer != null) {
            fail(answer);
        } else {
            finish();
            ctx.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        finish();
        super.channelInactive(ctx);
    }
}
