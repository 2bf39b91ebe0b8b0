package dev.weft.interop;

/**
 * The Autobahn|Testsuite fuzzing client against the Weft server on the blocking transport; see
 * {@link AutobahnServerRole}.
 */
class AutobahnBlockingTest extends AutobahnServerRole {

    AutobahnBlockingTest() {
        super(WeftTransport.BLOCKING);
    }
}
