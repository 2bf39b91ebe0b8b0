package dev.weft.interop;

/** The NIO client against the Autobahn|Testsuite fuzzing server; see {@link AutobahnClientRole}. */
class AutobahnClientTest extends AutobahnClientRole {

    AutobahnClientTest() {
        super(WeftTransport.NIO);
    }
}
