package dev.otc.e2ee.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** A subscriber that reads nothing must cost the router bounded memory and cost the other subscribers nothing. */
class FlowControlTest {

    /** The default bound: the fast subscriber must ride out a shared machine's scheduling hiccups without a drop. */
    static final int QUEUE = 2 * 1024 * 1024;
    static final int VIDEO_FRAMES = 1200;
    /** Sent while the slow subscriber finally reads: its video must resume at a keyframe. */
    static final int RECOVERY_FRAMES = 300;
    static final int VIDEO_BYTES = 20_000;
    static final int KEYFRAME_EVERY = 30;

    record Received(int media, long seq, boolean keyframe, long latencyUs) {
    }

    @Test
    void slowSubscriberDoesNotDelayOthersAndMemoryStaysBounded() throws Exception {
        try (MediaRouter router = MediaRouter.builder().subscriberQueueBytes(QUEUE).start()) {
            String sid = router.createSession(false);
            Duration ttl = Duration.ofMinutes(5);
            ExecutorService exec = Executors.newFixedThreadPool(2);
            try (TestClient pub = TestClient.connect(router, router.generateClientToken(sid, Role.PUBLISHER, ttl, null));
                 TestClient fast = TestClient.connect(router, router.generateClientToken(sid, Role.SUBSCRIBER, ttl, null));
                 TestClient slow = TestClient.open(router.mediaUrl(), 4096)) {
                slow.handshake(router.generateClientToken(sid, Role.SUBSCRIBER, ttl, null));
                String stream = pub.publishAndWait(1, "cam", false);
                for (TestClient s : List.of(fast, slow)) {
                    s.nextOfType(Wire.STREAM_CREATED);
                    s.subscribe(stream);
                    s.nextOfType(Wire.SUBSCRIBED);
                }
                int total = VIDEO_FRAMES + RECOVERY_FRAMES;
                int audioFrames = total / 2;
                Future<List<Received>> fastFrames = exec.submit(() -> {
                    List<Received> got = new ArrayList<>();
                    while (got.size() < total + audioFrames) {
                        TestClient.Message m = fast.nextOfType(Wire.MEDIA_FRAME);
                        long now = System.nanoTime() / 1000;
                        got.add(parse(m, now));
                    }
                    return got;
                });

                long maxQueued = publish(router, pub, stream, 0, VIDEO_FRAMES, 2);
                // The slow subscriber's queue filled: its video was dropped and the publisher asked for a keyframe.
                assertThat(router.stats().framesDropped(DropReason.QUEUE_FULL)).isPositive();
                Future<List<TestClient.Message>> slowFrames = exec.submit(() -> slow.drain(1500));
                maxQueued = Math.max(maxQueued, publish(router, pub, stream, VIDEO_FRAMES, total, 1));
                List<Received> got = fastFrames.get(30, TimeUnit.SECONDS);

                // The fast subscriber got everything, in order, with no drop.
                List<Long> videoSeqs = got.stream().filter(r -> r.media == Wire.MEDIA_VIDEO).map(Received::seq).toList();
                List<Long> expected = new ArrayList<>();
                for (long i = 0; i < total; i++) {
                    expected.add(i);
                }
                assertThat(videoSeqs).isEqualTo(expected);
                assertThat(got.stream().filter(r -> r.media == Wire.MEDIA_AUDIO).count()).isEqualTo(audioFrames);
                List<Long> latencies = new ArrayList<>(got.stream().map(Received::latencyUs).toList());
                Collections.sort(latencies);
                long p50 = latencies.get(latencies.size() / 2);
                // Generous bounds: the build machine is shared; what matters is that it is not seconds.
                assertThat(p50).as("fast subscriber median latency (us)").isLessThan(100_000);

                assertThat(pub.nextOfType(Wire.KEYFRAME_REQUEST).reader().str()).isEqualTo(stream);
                // Bounded memory: both subscribers' queues together never exceeded their bounds (plus control bytes).
                assertThat(maxQueued).isLessThanOrEqualTo(2L * (QUEUE + 64 * 1024) + 4096);

                // When the slow subscriber finally reads, its video resumes only at keyframes after each gap.
                List<TestClient.Message> late = slowFrames.get(30, TimeUnit.SECONDS);
                long lastSeq = -1;
                int gaps = 0;
                for (TestClient.Message m : late) {
                    if (m.type() != Wire.MEDIA_FRAME) {
                        continue;
                    }
                    Received r = parse(m, 0);
                    if (r.media != Wire.MEDIA_VIDEO) {
                        continue;
                    }
                    if (r.seq != lastSeq + 1) {
                        gaps++;
                        assertThat(r.keyframe).as("first video frame after a gap (seq %d)", r.seq).isTrue();
                    }
                    lastSeq = r.seq;
                }
                assertThat(gaps).isPositive();
                assertThat(router.stats().queuedBytes()).isZero();
            } finally {
                exec.shutdownNow();
            }
        }
    }

    @Test
    void clientThatReadsNothingWhileControlMessagesPileUpIsDisconnected() throws Exception {
        try (MediaRouter router = MediaRouter.builder().subscriberQueueBytes(64 * 1024).start()) {
            String sid = router.createSession(false);
            Duration ttl = Duration.ofMinutes(5);
            try (TestClient chatty = TestClient.connect(router, router.generateClientToken(sid, Role.PUBLISHER, ttl, null));
                 TestClient deaf = TestClient.open(router.mediaUrl(), 4096)) {
                TestClient.Connected d = deaf.handshake(router.generateClientToken(sid, Role.SUBSCRIBER, ttl, null));
                String data = "x".repeat(8000);
                long maxQueued = 0;
                for (int i = 0; i < 2000 && router.stats().connections() == 2; i++) {
                    chatty.signal("", "flood", data);
                    maxQueued = Math.max(maxQueued, router.stats().queuedBytes());
                }
                TestClient.Reader r = chatty.nextOfType(Wire.CONNECTION_DROPPED).reader();
                assertThat(r.str()).isEqualTo(d.connectionId());
                assertThat(r.u8()).isEqualTo(Wire.DROPPED_NETWORK_LOST);
                assertThat(maxQueued).isLessThanOrEqualTo(64 * 1024 + OutboundQueue.CONTROL_SLACK);
                assertThat(router.stats().queuedBytes()).isZero();
            }
        }
    }

    /** Sends video frames [from, to) with audio on every other one; returns the largest queued-bytes sample. */
    static long publish(MediaRouter router, TestClient pub, String stream, int from, int to, int sleepEvery)
            throws Exception {
        long maxQueued = 0;
        byte[] video = new byte[VIDEO_BYTES];
        byte[] audio = new byte[160];
        for (int i = from; i < to; i++) {
            int flags = i % KEYFRAME_EVERY == 0 ? Wire.FLAG_KEYFRAME : 0;
            pub.sendMessageNoFlush(TestClient.mediaFrame(stream, Wire.MEDIA_VIDEO, flags,
                    System.nanoTime() / 1000, i, video));
            if (i % 2 == 0) {
                pub.sendMessageNoFlush(TestClient.mediaFrame(stream, Wire.MEDIA_AUDIO, 0,
                        System.nanoTime() / 1000, i / 2, audio));
            }
            pub.flush();
            maxQueued = Math.max(maxQueued, router.stats().queuedBytes());
            if (i % sleepEvery == 0) {
                Thread.sleep(2); // ~10 MB/s: paced well within what the fast subscriber reads
            }
        }
        return maxQueued;
    }

    static Received parse(TestClient.Message m, long nowUs) {
        TestClient.Reader r = m.reader();
        r.str();
        int media = r.u8();
        r.u8();
        int flags = r.u8();
        long ts = r.u64();
        long seq = r.u32();
        return new Received(media, seq, (flags & Wire.FLAG_KEYFRAME) != 0, nowUs - ts);
    }
}
