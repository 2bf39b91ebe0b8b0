/**
 * TLS configuration for {@code wss://}, shared by every transport: each one makes its
 * {@code SSLEngine}s or {@code SSLSocket}s from these and configures them the same way.
 *
 * <ul>
 * <li>{@link dev.weft.api.tls.ServerTls}: the server's certificate (an {@code SSLContext}, a key
 *     store file, or one context per SNI host name), client authentication
 *     ({@link dev.weft.api.tls.ClientAuth}) and the client certificates it trusts.</li>
 * <li>{@link dev.weft.api.tls.ClientTls}: the server certificates a client trusts (the JDK's trust
 *     store, one file, or anything at all for development), the host-name check, and an optional
 *     client certificate.</li>
 * <li>{@link dev.weft.api.tls.SelfSignedCertificate}: a throw-away certificate for development and
 *     tests, made by the JDK's {@code keytool}.</li>
 * </ul>
 *
 * <p>Both ends speak TLS 1.3 or 1.2 only, and both accept base {@code SSLParameters} (cipher suites,
 * algorithm constraints, ...) applied before Weft's own settings.
 */
package dev.weft.api.tls;
