package dev.otc.e2ee;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * One rule for text crossing into C (OtcException's class description): an unpaired surrogate is
 * an IllegalArgumentException for names, signals, tokens and settings, as it is refused for secrets
 * and session ids, and never travels as '?'.
 */
class TextRuleTest {
  private static final String LONE_HIGH = "abc\uD800";
  private static final String LONE_LOW = "\uDC00abc";

  @Test
  void namesAndSettingsWithAnUnpairedSurrogateAreRefused() {
    assertThatThrownBy(() -> Publisher.builder().name(LONE_HIGH))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name");
    assertThatThrownBy(() -> Session.builder().applicationId(LONE_LOW))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("applicationId");
    assertThatThrownBy(() -> Session.builder().clientName(LONE_HIGH))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("clientName");
    // Paired surrogates (an emoji) are text like any other.
    assertThat(Publisher.builder().name("cam \uD83D\uDE00")).isNotNull();
  }

  @Test
  void signalsAndTokensWithAnUnpairedSurrogateAreRefusedBeforeAnyNativeCall() {
    try (Session session = Session.builder().sessionId("text-rule-session").routerUrl("tcp://127.0.0.1:9")
        .listener(new SessionListener() {}).build()) {
      assertThatThrownBy(() -> session.sendSignal(LONE_HIGH, "data"))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("type");
      assertThatThrownBy(() -> session.sendSignal("type", LONE_LOW))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("data");
      assertThatThrownBy(() -> session.connect("token" + LONE_HIGH))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("token");
      // Refused before reaching native code: the session is still usable and unconnected.
      assertThat(session.isClosed()).isFalse();
    }
  }
}
