package dev.weft.interop;

/** The Autobahn|Testsuite fuzzing client against the Weft server on NIO; see {@link AutobahnServerRole}. */
class AutobahnTest extends AutobahnServerRole {

    AutobahnTest() {
        super(WeftTransport.NIO);
    }
}
