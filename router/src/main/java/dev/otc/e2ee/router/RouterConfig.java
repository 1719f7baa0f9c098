package dev.otc.e2ee.router;

import java.time.Duration;

/** Tunables shared by the router's handlers. */
record RouterConfig(long subscriberQueueBytes, long subscriberAudioQueueBytes, Duration connectTimeout,
                    String routerName, boolean metricsFromAnyAddress) {
}
