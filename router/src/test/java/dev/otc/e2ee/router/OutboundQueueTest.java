package dev.otc.e2ee.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;

/** Ordering and drop rules of one client's send queue, without sockets in between. */
class OutboundQueueTest {

    static final int LIMIT = 64 * 1024;
    final EmbeddedChannel channel = new EmbeddedChannel();
    final DevCredentials creds = DevCredentials.generateInMemory();
    final RouterCore core = new RouterCore(new Application(creds.applicationId(), creds.publicKey(), E2eePolicy.ALLOWED),
            new RouterConfig(LIMIT, 4096, "test", false, null, false, RouterLimits.defaults()));
    final OutboundQueue queue = new OutboundQueue(channel, core, "s");
    final RouterStream stream = new RouterStream("v", 1, null, "cam", true, true, 1, 16, false, 0);
    final Subscription sub = new Subscription(stream, null);

    @AfterEach
    void release() {
        queue.close();
        channel.finishAndReleaseAll();
    }

    static ByteBuf tagged(int tag, int size) {
        ByteBuf b = Unpooled.buffer(size);
        b.writeInt(size - 4);
        b.writeByte(tag);
        b.writeZero(size - 5);
        return b;
    }

    List<Integer> written() {
        channel.runPendingTasks();
        List<Integer> tags = new ArrayList<>();
        ByteBuf b;
        while ((b = channel.readOutbound()) != null) {
            tags.add((int) b.getByte(4));
            b.release();
        }
        return tags;
    }

    @Test
    void audioOvertakesVideoButNeverAControlMessageQueuedBeforeIt() {
        queue.offerControl(tagged(1, 10));
        queue.offerVideo(tagged(2, 100), sub, true);
        queue.offerVideo(tagged(3, 100), sub, false);
        queue.offerAudio(tagged(4, 20), "v");
        queue.offerControl(tagged(5, 10));
        queue.offerAudio(tagged(6, 20), "v");
        assertThat(written()).containsExactly(1, 4, 2, 3, 5, 6);
        assertThat(core.stats.queuedBytes()).isZero();
        assertThat(core.stats.framesForwarded()).isEqualTo(4);
    }

    @Test
    void videoIsDroppedUntilAKeyframeFitsAndOneKeyframeRequestPerEpisode() {
        int frame = 20_000;
        assertThat(queue.offerVideo(tagged(1, frame), sub, true)).isEqualTo(OutboundQueue.VideoResult.QUEUED);
        assertThat(queue.offerVideo(tagged(2, frame), sub, false)).isEqualTo(OutboundQueue.VideoResult.QUEUED);
        assertThat(queue.offerVideo(tagged(3, frame), sub, false)).isEqualTo(OutboundQueue.VideoResult.QUEUED);
        assertThat(queue.offerVideo(tagged(4, frame), sub, false))
                .isEqualTo(OutboundQueue.VideoResult.DROPPED_REQUEST_KEYFRAME);
        assertThat(queue.offerVideo(tagged(5, frame), sub, false)).isEqualTo(OutboundQueue.VideoResult.DROPPED);
        // A keyframe that does not fit is dropped too, and asks again.
        assertThat(queue.offerVideo(tagged(6, frame), sub, true))
                .isEqualTo(OutboundQueue.VideoResult.DROPPED_REQUEST_KEYFRAME);
        queue.offerAudio(tagged(7, 160), "v");
        assertThat(written()).containsExactly(7, 1, 2, 3);
        // Room again, but deltas still wait for a keyframe.
        assertThat(queue.offerVideo(tagged(8, frame), sub, false)).isEqualTo(OutboundQueue.VideoResult.DROPPED);
        assertThat(queue.offerVideo(tagged(9, frame), sub, true)).isEqualTo(OutboundQueue.VideoResult.QUEUED);
        assertThat(queue.offerVideo(tagged(10, frame), sub, false)).isEqualTo(OutboundQueue.VideoResult.QUEUED);
        assertThat(written()).containsExactly(9, 10);
        assertThat(core.stats.framesDropped(DropReason.QUEUE_FULL)).isEqualTo(3);
        assertThat(core.stats.framesDropped(DropReason.AWAITING_KEYFRAME)).isEqualTo(1);
    }

    @Test
    void audioHasItsOwnBoundAndClosedQueuesReleaseEverything() {
        for (int i = 0; i < 30; i++) {
            queue.offerAudio(tagged(1, 160), "v");
        }
        // 4096-byte audio bound: 25 frames of 160 bytes fit.
        assertThat(core.stats.framesDropped(DropReason.AUDIO_QUEUE_FULL)).isEqualTo(5);
        ByteBuf late = tagged(2, 100);
        queue.close();
        queue.offerVideo(late, sub, true);
        assertThat(late.refCnt()).isZero();
        assertThat(core.stats.queuedBytes()).isZero();
        assertThat(written()).isEmpty();
    }
}
