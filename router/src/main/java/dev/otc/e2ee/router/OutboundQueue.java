package dev.otc.e2ee.router;

import java.util.ArrayDeque;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

/**
 * One client's send queue, in front of its socket. Two lanes: audio, and everything else (control messages and
 * video) in FIFO order. Audio overtakes queued video but never a control message queued before it, so a client never
 * sees audio of a stream before that stream's SUBSCRIBED. Video is bounded in bytes: a frame that does not fit is
 * dropped, and so is every later video frame of that stream for this client until a keyframe fits; the caller then
 * asks the publisher for a keyframe. Audio has its own, smaller bound. Control messages are never dropped: they are
 * few and small, and a client that never reads is closed by TCP or by its own timeout, not by us.
 *
 * <p>Producers run on any event loop (the publisher's); writes happen on the client's own event loop, batched: one
 * drain task, one flush per batch. The socket itself holds at most the channel's high water mark, so the queue
 * bound really bounds memory per client.
 *
 * <p>Thread safety: this is the one object of a connection other threads may use. Every offer and {@link #close} take
 * this object's monitor, so any thread may offer; {@link #drain} runs on the client's event loop only. Lock order is
 * always session, then queue ({@link RouterSession} offers under its lock): nothing here calls back into a session,
 * and {@code channel.close()} below only schedules the channel's inactive event on its loop, so the connection
 * leaves its session later, without this monitor held.
 */
final class OutboundQueue {

    private static final System.Logger LOG = System.getLogger(OutboundQueue.class.getName());
    /** Control bytes allowed beyond the video bound before the client is given up on. */
    static final long CONTROL_SLACK = 1024 * 1024;

    /** What {@link #offerVideo} did with a frame. */
    enum VideoResult { QUEUED, DROPPED, DROPPED_REQUEST_KEYFRAME }

    private record Entry(ByteBuf buf, long seq, boolean control, String streamId) {
    }

    private final Channel channel;
    private final RouterCore core;
    private final String sessionId;
    private final long videoLimit;
    private final long audioLimit;
    private final ArrayDeque<Entry> main = new ArrayDeque<>();
    private final ArrayDeque<Entry> audio = new ArrayDeque<>();
    /** Sequence numbers of the control entries in {@link #main}, oldest first: the barriers audio may not pass. */
    private final ArrayDeque<Long> controlSeqs = new ArrayDeque<>();
    private long seq;
    private long mainBytes;
    private long audioBytes;
    private boolean drainScheduled;
    private boolean closed;
    private final Runnable drainTask = this::drain;

    OutboundQueue(Channel channel, RouterCore core, String sessionId) {
        this.channel = channel;
        this.core = core;
        this.sessionId = sessionId;
        this.videoLimit = core.config.subscriberQueueBytes();
        this.audioLimit = core.config.subscriberAudioQueueBytes();
    }

    /**
     * Queues a router message; takes ownership of {@code msg}. A client so far behind that even control messages
     * pile up beyond {@link #CONTROL_SLACK} past the video bound (it reads nothing while others signal or join) is
     * disconnected: that is the only way to keep its memory bounded without dropping events it must see.
     */
    void offerControl(ByteBuf msg) {
        synchronized (this) {
            if (closed) {
                msg.release();
                return;
            }
            if (mainBytes + msg.readableBytes() > videoLimit + CONTROL_SLACK) {
                msg.release();
                LOG.log(System.Logger.Level.INFO, () -> "closing " + channel.remoteAddress()
                        + ": its send queue is full of unread control messages");
                channel.close();
                return;
            }
            long s = seq++;
            main.addLast(new Entry(msg, s, true, null));
            controlSeqs.addLast(s);
            mainBytes += msg.readableBytes();
            core.stats.queued(msg.readableBytes());
            scheduleLocked();
        }
    }

    /** Takes ownership of {@code frame} (a retained duplicate of the publisher's message). */
    void offerAudio(ByteBuf frame, String streamId) {
        synchronized (this) {
            int size = frame.readableBytes();
            if (closed || audioBytes + size > audioLimit) {
                if (!closed) {
                    core.stats.frameDropped(DropReason.AUDIO_QUEUE_FULL);
                }
                frame.release();
                return;
            }
            audio.addLast(new Entry(frame, seq++, false, streamId));
            audioBytes += size;
            core.stats.queued(size);
            scheduleLocked();
        }
    }

    /** Takes ownership of {@code frame}. */
    VideoResult offerVideo(ByteBuf frame, Subscription sub, boolean keyframe) {
        synchronized (this) {
            if (closed) {
                frame.release();
                return VideoResult.DROPPED;
            }
            int size = frame.readableBytes();
            boolean fits = mainBytes + size <= videoLimit;
            if (fits && (keyframe || !sub.awaitingKeyframe)) {
                sub.awaitingKeyframe = false;
                main.addLast(new Entry(frame, seq++, false, sub.stream.id));
                mainBytes += size;
                core.stats.queued(size);
                scheduleLocked();
                return VideoResult.QUEUED;
            }
            frame.release();
            boolean wasAwaiting = sub.awaitingKeyframe;
            sub.awaitingKeyframe = true;
            core.stats.frameDropped(wasAwaiting && fits ? DropReason.AWAITING_KEYFRAME : DropReason.QUEUE_FULL);
            // One request per episode, and one more each time the keyframe we waited for did not fit either.
            return !wasAwaiting || keyframe ? VideoResult.DROPPED_REQUEST_KEYFRAME : VideoResult.DROPPED;
        }
    }

    /** Bytes queued and not yet handed to the socket. */
    synchronized long queuedBytes() {
        return mainBytes + audioBytes;
    }

    private void scheduleLocked() {
        if (!drainScheduled) {
            drainScheduled = true;
            channel.eventLoop().execute(drainTask);
        }
    }

    /** Event loop only; also called when the channel becomes writable again. */
    void drain() {
        synchronized (this) {
            drainScheduled = false;
        }
        boolean wrote = false;
        boolean observe = !core.observers.isEmpty();
        while (channel.isWritable()) {
            Entry e;
            synchronized (this) {
                e = pollLocked();
            }
            if (e == null) {
                break;
            }
            if (!e.control) {
                int size = e.buf.readableBytes();
                core.stats.frameForwarded(size);
                if (observe) {
                    core.notifyObservers(sessionId, e.streamId, MediaObserver.Direction.FORWARDED, e.buf);
                }
            }
            channel.write(e.buf, channel.voidPromise());
            wrote = true;
        }
        if (wrote) {
            channel.flush();
        }
    }

    private Entry pollLocked() {
        Entry a = audio.peekFirst();
        if (a != null) {
            Long barrier = controlSeqs.peekFirst();
            if (barrier == null || a.seq < barrier) {
                audio.pollFirst();
                audioBytes -= a.buf.readableBytes();
                core.stats.queued(-a.buf.readableBytes());
                return a;
            }
        }
        Entry m = main.pollFirst();
        if (m != null) {
            mainBytes -= m.buf.readableBytes();
            core.stats.queued(-m.buf.readableBytes());
            if (m.control) {
                controlSeqs.pollFirst();
            }
        }
        return m;
    }

    /** Releases everything queued; later offers are released at once. */
    void close() {
        synchronized (this) {
            closed = true;
            for (Entry e : main) {
                e.buf.release();
            }
            for (Entry e : audio) {
                e.buf.release();
            }
            main.clear();
            audio.clear();
            controlSeqs.clear();
            core.stats.queued(-(mainBytes + audioBytes));
            mainBytes = 0;
            audioBytes = 0;
        }
    }
}
