package dev.otc.e2ee.router;

/**
 * Tunables shared by the router's handlers.
 *
 * @param metricsToken bearer token {@code /metrics} requires (UTF-8), or null; the router wipes it on close
 */
record RouterConfig(long subscriberQueueBytes, long subscriberAudioQueueBytes, String routerName,
                    boolean metricsFromAnyAddress, byte[] metricsToken, boolean metricsOnOwnPort, RouterLimits limits) {

    @Override
    public String toString() {
        // The metrics token never goes to a log.
        return "RouterConfig[limits=" + limits + ", metricsToken=" + (metricsToken == null ? "none" : "set") + "]";
    }
}
