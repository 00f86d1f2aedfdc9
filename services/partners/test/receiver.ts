import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** One POST a receiver took: its headers, its body parsed, and whether it answered 2xx. */
export interface Received {
  headers: http.IncomingHttpHeaders;
  body: { id: string; type: string; subject: string; data: Record<string, unknown> } & Record<string, unknown>;
  raw: string;
  accepted: boolean;
}

/** A partner's webhook endpoint in the test: a node http server that keeps what it was sent. */
export interface Receiver {
  url: string;
  received: Received[];
  /** The bodies it accepted (answered 2xx). */
  accepted(): Received['body'][];
  /** Answer this many of the next requests with 503 before accepting again. */
  failNext(times: number): void;
  /** Answer 500 to every request from now on (or stop). */
  failAlways(on: boolean): void;
  /** Check a request's Standard Webhooks signature with this secret: true or the verifier's error. */
  verify(request: Received, secret: string): true | string;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const received: Received[] = [];
  let failures = 0;
  let failing = false;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const accept = !failing && failures === 0;
      if (!accept && failures > 0) failures--;
      received.push({ headers: req.headers, body: JSON.parse(raw) as Received['body'], raw, accepted: accept });
      res.writeHead(accept ? 204 : failing ? 500 : 503).end(accept ? undefined : 'not now');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    accepted: () => received.filter((r) => r.accepted).map((r) => r.body),
    failNext: (times) => {
      failures = times;
    },
    failAlways: (on) => {
      failing = on;
    },
    verify(request, secret) {
      try {
        new Webhook(secret).verify(request.raw, {
          'webhook-id': String(request.headers['webhook-id']),
          'webhook-timestamp': String(request.headers['webhook-timestamp']),
          'webhook-signature': String(request.headers['webhook-signature']),
        });
        return true;
      } catch (error) {
        return (error as Error).message;
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
