package dev.weft.interop;

/** The blocking client against the Autobahn|Testsuite fuzzing server; see {@link AutobahnClientRole}. */
class AutobahnBlockingClientTest extends AutobahnClientRole {

    AutobahnBlockingClientTest() {
        super(WeftTransport.BLOCKING);
    }
}
