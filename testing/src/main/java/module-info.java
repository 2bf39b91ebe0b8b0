/**
 * For the tests of applications, extensions and transports: a client and a server connected in
 * memory on a manual clock, a peer that sends exactly the bytes a test scripts, a thread-safe event
 * recorder, a socket client that writes exact bytes, and contract test kits for extension authors
 * and for server transports. Needs no test framework.
 */
module dev.weft.testing {
    requires transitive dev.weft.api;
    requires dev.weft.core;
    requires java.logging;

    exports dev.weft.testing;
}
