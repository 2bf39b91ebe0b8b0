package dev.weft.api;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class HttpProxyTest {

    @Test
    void parsesTheUriFormOfProxyVariables() {
        HttpProxy proxy = HttpProxy.parse("http://corp.example:3128");
        assertEquals("corp.example", proxy.host());
        assertEquals(3128, proxy.port());
        assertEquals(Optional.empty(), proxy.user());
        assertEquals(Optional.empty(), proxy.proxyAuthorization());
        assertEquals(HttpProxy.of("corp.example", 80), HttpProxy.parse("http://corp.example/"));
    }

    @Test
    void takesPercentEncodedCredentialsFromTheUserInfo() {
        HttpProxy proxy = HttpProxy.parse("http://Aladdin:open%20sesame@127.0.0.1:3128");
        assertEquals(Optional.of("Aladdin"), proxy.user());
        // RFC 7617 §2's example
        assertEquals(Optional.of("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="), proxy.proxyAuthorization());
        assertEquals(HttpProxy.of("127.0.0.1", 3128).withCredentials("Aladdin", "open sesame"), proxy);
    }

    @Test
    void neverShowsThePassword() {
        assertEquals("http://Aladdin@127.0.0.1:3128", HttpProxy.parse("http://Aladdin:secret@127.0.0.1:3128").toString());
        assertEquals("http://[::1]:3128", HttpProxy.parse("http://[::1]:3128").toString());
        assertEquals("::1", HttpProxy.of("[::1]", 3128).host());
        assertEquals("[::1]:3128", HttpProxy.of("::1", 3128).authority());
    }

    @Test
    void refusesWhatIsNotAnHttpProxyUri() {
        for (String bad : new String[] {"corp:3128", "https://corp:3128", "socks5://corp:1080", "http://corp:3128/path",
            "http://corp:3128?x", "http:///", "http://corp:70000"}) {
            assertThrows(IllegalArgumentException.class, () -> HttpProxy.parse(bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> HttpProxy.of("corp", 0));
        assertThrows(IllegalArgumentException.class, () -> HttpProxy.of("corp", 1).withCredentials("a:b", "c"));
    }
}
