package dev.otc.e2ee.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;

/**
 * What each membership operation of a session queues, to whom and in which order, with each member's real
 * {@link OutboundQueue} in front of an embedded channel.
 */
class RouterSessionTest {

    final DevCredentials creds = DevCredentials.generateInMemory();
    final RouterCore core = new RouterCore(new Application(creds.applicationId(), creds.publicKey(), E2eePolicy.ALLOWED),
            new RouterConfig(1 << 20, 1 << 16, "test", false, null, false, RouterLimits.defaults()));
    final RouterSession session = new RouterSession("2_s", creds.applicationId(), false, MediaMode.ROUTED, false, null,
            0, System.nanoTime(), core.config.limits(), core.stats);
    final List<EmbeddedChannel> channels = new ArrayList<>();
    final List<SessionMember> members = new ArrayList<>();

    /** One message as the member would read it: its type and its first string field (an id), if any. */
    record Sent(int type, String first) {
    }

    SessionMember member(String id) {
        EmbeddedChannel ch = new EmbeddedChannel();
        channels.add(ch);
        SessionMember m = new SessionMember(id, "data-" + id, 1000, new OutboundQueue(ch, core, session.id), ch);
        members.add(m);
        return m;
    }

    SessionMember joined(String id) throws ProtocolException {
        SessionMember m = member(id);
        session.join(m, Role.PUBLISHER, null);
        return m;
    }

    static List<Sent> sent(SessionMember m, EmbeddedChannel ch) {
        ch.runPendingTasks();
        List<Sent> out = new ArrayList<>();
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) {
            int type = b.getUnsignedByte(4);
            String first = null;
            if (b.readableBytes() >= 7 && type != Wire.PUBLISHED && type != Wire.NODES) {
                int len = b.getUnsignedShort(5);
                first = b.toString(7, len, StandardCharsets.UTF_8);
            }
            out.add(new Sent(type, first));
            b.release();
        }
        return out;
    }

    List<Sent> sent(SessionMember m) {
        return sent(m, channels.get(members.indexOf(m)));
    }

    @AfterEach
    void release() {
        for (SessionMember m : members) {
            m.queue().close();
        }
        for (EmbeddedChannel ch : channels) {
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void aJoinerGetsConnectedThenTheReplayAndTheOthersGetItsConnectionCreated() throws Exception {
        SessionMember a = joined("a");
        SessionMember b = joined("b");
        RouterStream st = session.publish(a, new SessionMembers.PublishRequest(1, "cam", true, true, 1, 16, ""), 1);
        sent(a);
        sent(b);

        SessionMember c = member("c");
        session.join(c, Role.SUBSCRIBER, List.of("tcp://other:1"));
        assertThat(sent(c)).containsExactly(new Sent(Wire.CONNECTED, "c"), new Sent(Wire.NODES, null),
                new Sent(Wire.CONNECTION_CREATED, "a"), new Sent(Wire.CONNECTION_CREATED, "b"),
                new Sent(Wire.STREAM_CREATED, st.id));
        assertThat(sent(a)).containsExactly(new Sent(Wire.CONNECTION_CREATED, "c"));
        assertThat(sent(b)).containsExactly(new Sent(Wire.CONNECTION_CREATED, "c"));
        assertThat(session.members()).containsExactly(a, b, c);
    }

    @Test
    void anExpiredOrMovedSessionRefusesJoinsWithoutSideEffects() throws Exception {
        SessionMember a = joined("a");
        session.leave(a, Wire.DROPPED_NETWORK_LOST);
        assertThat(session.expireIfEmptySince(System.nanoTime() + 1)).isTrue();
        SessionMember b = member("b");
        assertThatThrownBy(() -> session.join(b, Role.PUBLISHER, null)).isInstanceOfSatisfying(ProtocolException.class,
                e -> {
                    assertThat(e.code).isEqualTo(ErrorCodes.INVALID_SESSION_ID);
                    assertThat(e.fatal).isTrue();
                    assertThat(e).hasMessage("the token's session does not exist on this router (it expired)");
                });
        assertThat(sent(b)).isEmpty();
        assertThat(session.members()).isEmpty();
    }

    @Test
    void publishUnpublishAndLeaveTellEveryMemberInOrder() throws Exception {
        SessionMember a = joined("a");
        SessionMember b = joined("b");
        SessionMember c = joined("c");
        sent(a);
        sent(b);
        sent(c);
        RouterStream s1 = session.publish(a, new SessionMembers.PublishRequest(9, "one", true, true, 1, 16, ""), 1);
        RouterStream s2 = session.publish(a, new SessionMembers.PublishRequest(10, "two", true, false, 0, 16, ""), 2);
        assertThat(sent(a)).containsExactly(new Sent(Wire.PUBLISHED, null), new Sent(Wire.STREAM_CREATED, s1.id),
                new Sent(Wire.PUBLISHED, null), new Sent(Wire.STREAM_CREATED, s2.id));
        assertThat(sent(b)).containsExactly(new Sent(Wire.STREAM_CREATED, s1.id), new Sent(Wire.STREAM_CREATED, s2.id));
        sent(c);

        assertThat(session.subscribe(b, s1.id)).as("no video yet: no keyframe request").isNull();
        assertThat(sent(b)).containsExactly(new Sent(Wire.SUBSCRIBED, s1.id));
        s1.videoStarted = true;
        assertThat(session.subscribe(c, s1.id)).as("running video: ask its publisher for a keyframe").isSameAs(s1);
        assertThat(session.subscribe(c, s1.id)).as("already subscribed").isNull();
        assertThat(sent(c)).containsExactly(new Sent(Wire.SUBSCRIBED, s1.id), new Sent(Wire.SUBSCRIBED, s1.id));

        RouterSession.Ended unpublished = session.unpublish(a, s2.id);
        assertThat(unpublished.streams()).containsExactly(s2);
        assertThat(unpublished.sessionLive()).isTrue();
        for (SessionMember m : List.of(a, b, c)) {
            assertThat(sent(m)).containsExactly(new Sent(Wire.STREAM_DESTROYED, s2.id));
        }

        session.signal(b, "", "chat", "hi");
        assertThat(sent(a)).containsExactly(new Sent(Wire.SIGNAL, "b"));
        assertThat(sent(b)).isEmpty();
        assertThat(sent(c)).containsExactly(new Sent(Wire.SIGNAL, "b"));

        RouterSession.Ended left = session.leave(a, Wire.DROPPED_CLIENT_DISCONNECTED);
        assertThat(left.streams()).containsExactly(s1);
        assertThat(sent(a)).isEmpty();
        for (SessionMember m : List.of(b, c)) {
            assertThat(sent(m)).containsExactly(new Sent(Wire.STREAM_DESTROYED, s1.id),
                    new Sent(Wire.CONNECTION_DROPPED, "a"));
            assertThat(session.subscriptionsOf(m)).isEmpty();
        }
        assertThat(session.stream(s1.id)).isNull();
        assertThat(session.leave(a, Wire.DROPPED_NETWORK_LOST)).as("once").isNull();
        assertThat(sent(b)).isEmpty();
    }

    @Test
    void streamsOfAMovedSessionEndWithoutTheDirectoryForgettingThem() throws Exception {
        SessionMember a = joined("a");
        RouterStream st = session.publish(a, new SessionMembers.PublishRequest(1, "cam", true, true, 1, 16, ""), 1);
        assertThat(session.markMoved()).containsExactly(a);
        RouterSession.Ended left = session.leave(a, Wire.DROPPED_FORCED);
        assertThat(left.streams()).containsExactly(st);
        assertThat(left.sessionLive()).isFalse();
    }
}
