import { request } from 'node:http';

export interface HttpReply {
  readonly status: number;
  readonly body: unknown;
  readonly text: string;
}

/** One HTTP request over a unix socket (as the CNI plugin sends it) or to a TCP port. */
export function httpCall(
  target: { readonly socketPath: string } | { readonly port: number },
  method: string,
  path: string,
  body?: unknown,
  raw?: string,
): Promise<HttpReply> {
  const payload = raw ?? (body === undefined ? undefined : JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = request(
      {
        ...('socketPath' in target
          ? { socketPath: target.socketPath }
          : { host: '127.0.0.1', port: target.port }),
        method,
        path,
        headers:
          payload === undefined
            ? {}
            : { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown;
          try {
            parsed = text === '' ? undefined : JSON.parse(text);
          } catch {
            parsed = undefined;
          }
          resolve({ status: res.statusCode ?? 0, body: parsed, text });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}
