package dev.otc.e2ee.router.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.otc.e2ee.router.RouterLimits;
import picocli.CommandLine;

/** The serve flags and RouterLimits must not drift apart: the documented defaults are the ones applied. */
class RouterCliLimitsTest {

    @Test
    void noFlagsMeansTheLibraryDefaults() {
        RouterCli.Serve serve = new RouterCli.Serve();
        new CommandLine(serve).parseArgs();
        assertThat(serve.limits()).isEqualTo(RouterLimits.defaults());
    }

    @Test
    void everyLimitHasAFlag() {
        RouterCli.Serve serve = new RouterCli.Serve();
        new CommandLine(serve).parseArgs("--pre-auth-max-message-bytes", "4096", "--handshake-timeout", "PT2S",
                "--max-pending-connections", "10", "--max-pending-connections-per-address", "5",
                "--max-sessions", "7", "--session-empty-timeout", "PT0S", "--max-connections-per-session", "3",
                "--max-streams-per-connection", "2", "--max-streams-per-session", "4",
                "--keyframe-request-interval", "PT1S", "--keyframe-request-burst", "1",
                "--rest-request-timeout", "PT3S", "--rest-token-max-age", "PT1M", "--rest-token-max-lifetime", "PT10M",
                "--rest-jti-cache-size", "99", "--client-token-max-lifetime", "P1D");
        assertThat(serve.limits()).isEqualTo(new RouterLimits(4096, Duration.ofSeconds(2), 10, 5, 7, Duration.ZERO, 3, 2, 4,
                Duration.ofSeconds(1), 1, Duration.ofSeconds(3), Duration.ofMinutes(1), Duration.ofMinutes(10), 99,
                Duration.ofDays(1)));
    }
}
