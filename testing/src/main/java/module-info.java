/**
 * For the tests of applications and extensions: a client and a server connected in memory on a
 * manual clock, a peer that sends exactly the bytes a test scripts, a thread-safe event recorder,
 * and a contract test kit for extension authors. Needs no test framework.
 */
module dev.weft.testing {
    requires transitive dev.weft.api;
    requires dev.weft.core;

    exports dev.weft.testing;
}
