// The load test's HTTP client, in a process of its own (test/emulator/load.test.ts): a real client
// is not inside the server, so the server's memory and CPU figures are the server's alone, not the
// client's sockets, buffers and garbage as well.
// Usage: node load-client.mjs '{"base":"http://127.0.0.1:PORT","total":1000,"connections":20,"faults":true}'
// Prints one JSON line: {statuses, wrong, healthyMs, ms, retried}.
import { Agent, request } from 'node:http';

const { base, total, connections, faults } = JSON.parse(process.argv[2]);

/** Which guest request i reaches: 1 % each of the four faults in a faulty round, in fixed slots. */
function kindOf(i) {
  if (!faults) return 'ok';
  const slot = i % 100;
  return slot === 17 ? 'trap' : slot === 41 ? 'loop' : slot === 63 ? 'cold' : slot === 89 ? 'hog' : 'ok';
}

const agent = new Agent({ keepAlive: true, maxSockets: connections });
const statuses = new Map();
const wrong = [];
const healthyMs = [];
let next = 0;
let retried = 0;

const one = (i) =>
  new Promise((resolve) => {
    const kind = kindOf(i);
    const path = kind !== 'ok' ? `/${kind}/${i}` : i % 2 === 0 ? '/index.html' : '/style.css';
    const started = performance.now();
    const req = request(`${base}${path}`, { agent, timeout: 30_000 }, (res) => {
      res.resume();
      res.on('end', () => {
        if (kind === 'ok') healthyMs.push(performance.now() - started);
        const key = `${kind}:${res.statusCode}`;
        statuses.set(key, (statuses.get(key) ?? 0) + 1);
        const expected = kind === 'ok' ? 200 : 503;
        if (res.statusCode !== expected) wrong.push(`${path} → ${res.statusCode}`);
        resolve();
      });
    });
    let hung = false;
    req.on('timeout', () => {
      hung = true;
      wrong.push(`${path} hung`);
      req.destroy();
    });
    req.on('error', (e) => {
      // A keep-alive connection the server closed as idle just as the client reused it: a client
      // sends the request again (RFC 9112 §9.3.1; Node's documentation of request.reusedSocket).
      if (req.reusedSocket && e.code === 'ECONNRESET' && !hung) {
        retried++;
        void one(i).then(resolve);
        return;
      }
      wrong.push(`${path}: ${e.message}`);
      resolve();
    });
    req.end();
  });

const started = Date.now();
await Promise.all(
  Array.from({ length: connections }, async () => {
    for (let i = next++; i < total; i = next++) await one(i);
  }),
);
agent.destroy();
process.stdout.write(`${JSON.stringify({ statuses: [...statuses], wrong, healthyMs, ms: Date.now() - started, retried })}\n`);
