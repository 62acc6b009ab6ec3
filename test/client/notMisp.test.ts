/**
 * formatMispError names two mistakes of a base URL (issue #16): `https://` to a plain-HTTP port,
 * and a server that is not MISP. The transport errors are what the real MISP 2.5.1 (a plain-HTTP
 * port: the server hangs up on the handshake) and a Node HTTP server (OpenSSL's "wrong version
 * number") gave; the emulator tests in test/cli/edges.bin.test.ts cover the rest.
 */
import { describe, expect, test } from 'vitest'
import { formatMispError, type MispError } from '../../src/client/index.js'

const request = (url: string) => ({ method: 'GET', url })

describe('formatMispError and the wrong kind of server', () => {
  test('https:// on a plain-HTTP port, both ways OpenSSL reports it', () => {
    const wrong: MispError = {
      _tag: 'TransportError',
      request: request('https://127.0.0.1:8081/servers/getVersion'),
      reason: 'tls',
      message:
        'fetch failed: 40FDA138207F0000:error:0A00010B:SSL routines:tls_validate_record_header:wrong version number:../deps/openssl/openssl/ssl/record/methods/tlsany_meth.c:77:\n',
      code: 'ERR_SSL_WRONG_VERSION_NUMBER',
    }
    const closed: MispError = {
      _tag: 'TransportError',
      request: request('https://127.0.0.1:8081/servers/getVersion'),
      reason: 'tls',
      message:
        'fetch failed: Client network socket disconnected before secure TLS connection was established',
      code: 'ECONNRESET',
    }
    for (const e of [wrong, closed]) {
      expect(formatMispError(e)).toMatch(/^this port does not speak TLS — try http:\/\//)
      expect(formatMispError(e)).not.toMatch(/SSL routines/)
    }
    // a certificate problem is not that
    const cert: MispError = {
      ...wrong,
      message: 'self-signed certificate',
      code: 'DEPTH_ZERO_SELF_SIGNED_CERT',
    }
    expect(formatMispError(cert)).not.toMatch(/does not speak TLS/)
  })

  test('a 404 or a web page for servers/getVersion, but not for other calls', () => {
    const notFound: MispError = {
      _tag: 'NotFound',
      request: request('http://h/x/servers/getVersion'),
      status: 404,
    }
    expect(formatMispError(notFound)).toMatch(/^does not look like MISP — check the base URL/)
    const page: MispError = {
      _tag: 'UnexpectedResponse',
      request: request('http://h/servers/getVersion'),
      status: 200,
      reason: 'html',
      detail: 'the body is not JSON',
      contentType: 'text/html',
      excerpt: 'Welcome to nginx!',
    }
    expect(formatMispError(page)).toMatch(/^does not look like MISP — check the base URL .*Welcome to nginx!/)
    expect(formatMispError({ ...notFound, request: request('http://h/events/view/7') })).toMatch(/^not found/)
  })
})
