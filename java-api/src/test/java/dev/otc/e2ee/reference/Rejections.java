package dev.otc.e2ee.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Assertion that a reference operation refused a frame for one precise reason. */
public final class Rejections {
    private Rejections() {
    }

    @FunctionalInterface
    public interface Action {
        void run() throws Exception;
    }

    public static void assertRejected(Action action, FrameRejectedException.Reason reason) {
        assertThatThrownBy(action::run)
                .isInstanceOfSatisfying(FrameRejectedException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }
}
