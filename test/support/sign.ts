/**
 * Test-side TC3-HMAC-SHA256 signer for `/admin` requests, written from the wire-protocol notes (§2), independent of
 * emulator/signing.ts so tests do not trust the code they check. Plus a raw HTTP POST that keeps a chosen Host header
 * (fetch cannot), used to replay captured requests.
 */
import crypto from 'node:crypto';
import http from 'node:http';

export interface SignInput {
  secretId: string;
  secretKey: string;
  /** host[:port] as it appears in the URL and the Host header. */
  host: string;
  path: string;
  /** Query string without "?". */
  query: string;
  body: Record<string, unknown>;
  /** Seconds; default now - 1 as the SDK does. */
  timestamp?: number;
  contentType?: string;
}

const sha256hex = (s: string | Buffer) => crypto.createHash('sha256').update(s).digest('hex');
const hmac = (key: string | Buffer, s: string) => crypto.createHmac('sha256', key).update(s).digest();

function paramKey(k: string): string {
  return encodeURIComponent(k.toLowerCase().trim()).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Returns the headers to send (content-type, host, authorization, x-signature-expires, x-timestamp). */
export function signRequest(input: SignInput): Record<string, string> {
  const ts = input.timestamp ?? Math.floor(Date.now() / 1000) - 1;
  const date = new Date(ts * 1000).toISOString().slice(0, 10);
  const contentType = input.contentType ?? 'application/json';
  const headers: Record<string, string> = { 'content-type': contentType, host: input.host };
  const headerNames = Object.keys(headers).sort();
  const canonicalHeaders = headerNames.map((h) => `${h}:${headers[h].trim().toLowerCase()}`).join('\n') + '\n';

  const params: Record<string, string> = {};
  for (const [k, v] of Object.entries(input.body)) {
    if (v === undefined) continue;
    params[paramKey(k)] = typeof v === 'string' ? v.trim() : JSON.stringify(v).trim();
  }
  // Keys whose value is "" are neither listed nor hashed (as the SDK does).
  const paramNames = Object.keys(params)
    .filter((k) => params[k] !== '')
    .sort((a, b) => a.localeCompare(b));
  const hash = crypto.createHash('sha256');
  for (const k of paramNames) {
    hash.update(`&${k}=`);
    hash.update(params[k]);
    hash.update('\r\n');
  }
  const canonicalRequest = `post\n//${input.host}${input.path}\n${input.query}\n${canonicalHeaders}\n${headerNames.join(';')}\n${hash.digest('hex')}`;
  const scope = `${date}/tcb/tc3_request`;
  const stringToSign = `TC3-HMAC-SHA256\n${ts}\n${scope}\n${sha256hex(canonicalRequest)}`;
  const kSign = hmac(hmac(hmac(`TC3${input.secretKey}`, date), 'tcb'), 'tc3_request');
  const signature = crypto.createHmac('sha256', kSign).update(stringToSign).digest('hex');
  return {
    ...headers,
    authorization: `TC3-HMAC-SHA256 Credential=${input.secretId}/${scope}, SignedParams=${paramNames.join(';')}, SignedHeaders=${headerNames.join(';')}, Signature=${signature}`,
    'x-signature-expires': '600',
    'x-timestamp': String(ts),
  };
}

export interface RawResponse {
  status: number;
  text: string;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** POST raw bytes to 127.0.0.1:port with exactly these headers (Host included). */
export function rawPost(port: number, pathAndQuery: string, headers: Record<string, string>, body: string | Buffer, agent?: http.Agent): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method: 'POST', path: pathAndQuery, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, agent: agent ?? false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, text, json });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export interface Captured {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * A recorder standing in for the cloud: it keeps every request and answers with `answer(body)` (default: an empty
 * successful database answer). Point the SDK's serviceUrl at `${url}/admin`.
 */
export async function startRecorder(answer: (body: any) => unknown = () => ({ requestId: 'rec', data: { list: [], insertedIds: ['x'], total: 0 } })) {
  const captured: Captured[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
      captured.push({ method: req.method ?? '', url: req.url ?? '', headers, body });
      let parsed: unknown = null;
      try {
        parsed = JSON.parse(body);
      } catch {
        /* keep null */
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer(parsed)));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  return {
    captured,
    port,
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
