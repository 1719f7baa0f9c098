package dev.otc.e2ee.router;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;

/**
 * Closes a REST connection whose next request is not complete (headers and body) within the deadline, counted from
 * the connection opening or the previous response being written. A read timeout alone is not enough: a client sending
 * one byte every few seconds never trips it (slowloris). Sits after the HTTP aggregator, so it sees whole requests.
 */
final class RestDeadlineHandler extends ChannelDuplexHandler {

    private final long timeoutMs;
    private final RouterStats stats;
    private ScheduledFuture<?> deadline;

    RestDeadlineHandler(long timeoutMs, RouterStats stats) {
        this.timeoutMs = timeoutMs;
        this.stats = stats;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            arm(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        arm(ctx);
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof FullHttpRequest) {
            cancel();
        }
        super.channelRead(ctx, msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof FullHttpResponse) {
            // The clock for the next request starts once this response is out.
            promise = promise.unvoid();
            promise.addListener(f -> {
                if (ctx.channel().isActive()) {
                    arm(ctx);
                }
            });
        }
        super.write(ctx, msg, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancel();
        super.channelInactive(ctx);
    }

    private void arm(ChannelHandlerContext ctx) {
        cancel();
        deadline = ctx.executor().schedule(() -> {
            stats.refused(LimitRefusal.REST_REQUEST_TIMEOUT);
            ctx.close();
        }, timeoutMs, TimeUnit.MILLISECONDS);
    }

    private void cancel() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }
}
