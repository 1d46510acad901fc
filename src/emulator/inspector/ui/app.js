// The request inspector page (docs/inspector.md): Preact + htm, bundled by scripts/compile.mjs into
// lib/emulator/inspector/ui/app.js. It reads only the inspector's JSON API on its own origin.
// Everything that comes from a request (URI, headers, bodies, a function's logs) is rendered as
// text nodes by Preact, never as HTML: there is no innerHTML anywhere in this file.
import { h, render } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import htm from 'htm';
import './app.css';

const html = htm.bind(h);
const API = '../api/';
const STAGE_LABEL = { 'viewer-request': 'viewer-request', cache: 'cache lookup', 'origin-request': 'origin-request', origin: 'origin', 'origin-response': 'origin-response', 'viewer-response': 'viewer-response' };

async function getJson(path) {
  const r = await fetch(API + path, { headers: { Accept: 'application/json' } });
  if (!r.ok) throw new Error(`${r.status}: ${(await r.json().catch(() => ({}))).message ?? r.statusText}`);
  return r.json();
}

async function post(path) {
  const r = await fetch(API + path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
  const body = await r.json().catch(() => ({}));
  if (!r.ok) throw new Error(body.message ?? `${r.status}`);
  return body;
}

function statusClass(status) {
  return `s${String(status).charAt(0)}xx`;
}

function ms(v) {
  return v === undefined || v === null ? '–' : `${v < 10 ? v.toFixed(2) : v.toFixed(1)} ms`;
}

function App() {
  const [list, setList] = useState([]);
  const [history, setHistory] = useState(200);
  const [stats, setStats] = useState([]);
  const [selected, setSelected] = useState(location.hash.slice(1));
  const [filters, setFilters] = useState({ status: '', behavior: '', fn: '', text: '' });
  const [live, setLive] = useState(false);
  const [tab, setTab] = useState('requests');

  const reload = () => {
    getJson('requests').then((r) => {
      setHistory(r.history);
      setList(r.requests);
    });
    getJson('functions').then((r) => setStats(r.functions));
  };

  useEffect(() => {
    reload();
    const es = new EventSource(`${API}events`);
    es.addEventListener('hello', () => {
      setLive(true);
      reload();
    });
    es.addEventListener('dropped', reload);
    es.addEventListener('request', (e) => {
      const r = JSON.parse(e.data);
      setList((old) => (old.some((o) => o.id === r.id) ? old : [r, ...old].slice(0, history)));
    });
    es.addEventListener('stats', (e) => {
      const s = JSON.parse(e.data);
      setStats((old) => [...old.filter((o) => o.name !== s.name), s].sort((a, b) => a.name.localeCompare(b.name)));
    });
    es.onerror = () => setLive(false);
    const onHash = () => setSelected(location.hash.slice(1));
    window.addEventListener('hashchange', onHash);
    return () => {
      es.close();
      window.removeEventListener('hashchange', onHash);
    };
  }, []);

  const behaviors = useMemo(() => [...new Set(list.map((r) => r.behavior).filter((b) => b !== ''))].sort(), [list]);
  const functions = useMemo(() => [...new Set(list.flatMap((r) => r.functions.map((f) => f.slice(f.indexOf(':') + 1))))].sort(), [list]);
  const shown = list.filter((r) => {
    if (filters.status !== '' && statusClass(r.status) !== filters.status) return false;
    if (filters.behavior !== '' && r.behavior !== filters.behavior) return false;
    if (filters.fn !== '' && !r.functions.some((f) => f.endsWith(`:${filters.fn}`))) return false;
    if (filters.text !== '') {
      const t = filters.text.toLowerCase();
      if (![r.method, r.uri, String(r.status), r.xCache, r.failure ?? ''].some((s) => s.toLowerCase().includes(t))) return false;
    }
    return true;
  });
  const set = (k) => (e) => setFilters({ ...filters, [k]: e.currentTarget.value });

  return html`
    <header>
      <h1>lambda-wasm inspector</h1>
      <span class=${live ? 'live on' : 'live'} data-testid="live">${live ? 'live' : 'offline'}</span>
      <nav>
        <button class=${tab === 'requests' ? 'tab on' : 'tab'} onClick=${() => setTab('requests')}>Requests</button>
        <button class=${tab === 'functions' ? 'tab on' : 'tab'} data-testid="tab-functions" onClick=${() => {
          setTab('functions');
          getJson('functions').then((r) => setStats(r.functions));
        }}>Functions</button>
      </nav>
    </header>
    ${tab === 'functions'
      ? html`<${Stats} stats=${stats} />`
      : html`<main>
          <section class="list">
            <div class="filters">
              <select aria-label="status" data-testid="filter-status" value=${filters.status} onChange=${set('status')}>
                <option value="">any status</option>
                ${['s2xx', 's3xx', 's4xx', 's5xx'].map((c) => html`<option value=${c}>${c.slice(1)}</option>`)}
              </select>
              <select aria-label="behavior" data-testid="filter-behavior" value=${filters.behavior} onChange=${set('behavior')}>
                <option value="">any behavior</option>
                ${behaviors.map((b) => html`<option value=${b}>${b}</option>`)}
              </select>
              <select aria-label="function" data-testid="filter-function" value=${filters.fn} onChange=${set('fn')}>
                <option value="">any function</option>
                ${functions.map((f) => html`<option value=${f}>${f}</option>`)}
              </select>
              <input type="search" placeholder="filter text" aria-label="text" data-testid="filter-text" value=${filters.text} onInput=${set('text')} />
            </div>
            <table data-testid="requests">
              <thead><tr><th>#</th><th>method</th><th>URI</th><th>status</th><th>X-Cache</th><th>time</th></tr></thead>
              <tbody>
                ${shown.map(
                  (r) => html`<tr key=${r.id} data-id=${r.id} class=${`${statusClass(r.status)}${String(r.id) === selected ? ' sel' : ''}`} onClick=${() => (location.hash = String(r.id))}>
                    <td>${r.id}${r.replayOf === undefined ? '' : html` <small title=${`replay of #${r.replayOf}`}>↻${r.replayOf}</small>`}</td>
                    <td>${r.method}</td>
                    <td class="uri" title=${r.uri}>${r.uri}</td>
                    <td class="status">${r.status}</td>
                    <td>${r.xCache.replace(' from cloudfront', '')}</td>
                    <td class="num">${ms(r.durationMs)}</td>
                  </tr>`,
                )}
              </tbody>
            </table>
            ${shown.length === 0 ? html`<p class="empty">${list.length === 0 ? 'No requests yet: send one to the distribution.' : 'No request matches the filters.'}</p>` : ''}
          </section>
          <section class="detail">${selected === '' ? html`<p class="empty">Pick a request to see its trip.</p>` : html`<${Detail} key=${selected} id=${selected} />`}</section>
        </main>`}
  `;
}

function Stats({ stats }) {
  return html`<section class="stats">
    <table data-testid="stats">
      <thead><tr><th>function</th><th>kind</th><th>invocations</th><th>errors</th><th>refused by CloudFront</th><th>cold starts</th><th>p50</th><th>p99</th><th>Max Memory Used</th><th>Init Duration (last)</th></tr></thead>
      <tbody>
        ${stats.map(
          (s) => html`<tr key=${s.name} data-fn=${s.name}>
            <td>${s.name}</td><td>${s.kind}</td><td class="num">${s.invocations}</td><td class="num">${s.errors}</td><td class="num">${s.validationErrors}</td>
            <td class="num">${s.coldStarts}</td><td class="num">${ms(s.p50Ms)}</td><td class="num">${ms(s.p99Ms)}</td>
            <td class="num">${s.maxMemoryUsedMB} / ${s.memorySizeMB} MB</td><td class="num">${ms(s.lastInitDurationMs)}</td>
          </tr>`,
        )}
      </tbody>
    </table>
  </section>`;
}

function Detail({ id }) {
  const [r, setR] = useState(undefined);
  const [error, setError] = useState('');
  const [note, setNote] = useState('');
  const [curl, setCurl] = useState('');
  useEffect(() => {
    getJson(`requests/${encodeURIComponent(id)}`).then(setR, (e) => setError(e.message));
  }, [id]);
  if (error !== '') return html`<p class="error">${error}</p>`;
  if (r === undefined) return html`<p class="empty">loading…</p>`;

  const replay = () =>
    post(`requests/${r.id}/replay`).then(
      (out) => setNote(`replayed as #${out.id}: ${out.status} ${out.xCache}`),
      (e) => setNote(`replay failed: ${e.message}`),
    );
  const invalidate = () =>
    post(`requests/${r.id}/invalidate`).then(
      (out) => setNote(`invalidated ${out.paths.join(', ')}: ${out.invalidated} object(s)`),
      (e) => setNote(`invalidation failed: ${e.message}`),
    );
  const copyCurl = () => {
    const text = curlOf(r);
    setCurl(text);
    navigator.clipboard?.writeText(text).then(
      () => setNote('curl command copied'),
      () => setNote('select the command below to copy it'),
    );
  };

  return html`<article data-testid="detail">
    <h2><span class=${statusClass(r.status)}>${r.status}</span> ${r.method} <span class="uri">${r.uri}</span></h2>
    <p class="meta">#${r.id} · ${r.time} · behavior <code>${r.behavior || '–'}</code> · ${r.xCache} · ${ms(r.durationMs)} · <code>${r.requestId}</code>${r.replayOf === undefined ? '' : ` · replay of #${r.replayOf}`}</p>
    <div class="actions">
      <button data-testid="replay" onClick=${replay}>Replay</button>
      <button data-testid="curl" onClick=${copyCurl}>Copy as curl</button>
      <button data-testid="invalidate" onClick=${invalidate}>Invalidate path</button>
      <span class="note" data-testid="note">${note}</span>
    </div>
    ${curl === '' ? '' : html`<pre class="curl" data-testid="curl-text">${curl}</pre>`}
    ${r.failureDetail === undefined ? '' : html`<${Failure} f=${r.failureDetail} />`}
    <h3>Timeline</h3>
    <${Timeline} r=${r} />
    ${r.triggers.map((t, i) => html`<${Trigger} key=${i} t=${t} />`)}
    ${r.cache === undefined ? '' : html`<${Cache} c=${r.cache} />`}
    ${r.origin === undefined ? '' : html`<${Origin} o=${r.origin} />`}
    <h3>Viewer request headers</h3>
    <${Headers} pairs=${r.headers} testid="request-headers" />
    <h3>Response headers</h3>
    <${Headers} pairs=${r.responseHeaders} />
  </article>`;
}

function Failure({ f }) {
  return html`<div class="failure" data-testid="failure">
    <strong>${f.status} · ${f.stage}${f.function === undefined ? '' : ` · ${f.function}`} · ${f.kind}</strong>
    <p>CloudFront: ${f.message}</p>
    <ul>${f.details.map((d) => html`<li>${d}</li>`)}</ul>
  </div>`;
}

function Timeline({ r }) {
  const total = Math.max(r.durationMs, 0.001);
  return html`<ol class="timeline" data-testid="timeline">
    ${r.stages.map(
      (s) => html`<li class=${`stage ${s.state}`} data-stage=${s.stage} data-state=${s.state}>
        <span class="name">${STAGE_LABEL[s.stage]}${s.function === undefined ? '' : html` <code>${s.function}</code>`}</span>
        <span class="bar">${s.state === 'skipped' ? '' : html`<i style=${{ marginLeft: `${(100 * (s.startMs ?? 0)) / total}%`, width: `${Math.max(0.5, (100 * (s.durationMs ?? 0)) / total)}%` }}></i>`}</span>
        <span class="num">${s.state === 'skipped' ? 'skipped' : ms(s.durationMs)}</span>
        <span class="why">${s.state === 'skipped' ? s.reason : `${s.state === 'ran' ? '' : s.state}${s.reason === undefined ? '' : ` ${s.reason}`}`}</span>
      </li>`,
    )}
  </ol>`;
}

function Trigger({ t }) {
  const input = inputOf(t);
  const changes = t.result === undefined || t.result === null || typeof t.result !== 'object' ? undefined : diff(input, t.result);
  const verdict = t.outcome === 'validation-error' ? 'refused' : t.outcome === 'execution-error' ? 'failed' : 'accepted';
  return html`<section class="trigger" data-testid="trigger" data-event-type=${t.eventType}>
    <h3>${t.eventType} · <code>${t.function}</code> · <span class=${`verdict ${verdict}`} data-testid="verdict">${verdict}</span></h3>
    <p class="meta">${t.coldStart ? 'cold start' : 'warm'}${t.initDurationMs === undefined ? '' : ` · Init Duration ${ms(t.initDurationMs)}`} · Duration ${ms(t.durationMs)}${t.billedDurationMs === undefined ? '' : ` · Billed ${t.billedDurationMs} ms`}${t.maxMemoryUsedMB === undefined ? '' : ` · Max Memory Used ${t.maxMemoryUsedMB} MB`}</p>
    ${t.violations === undefined
      ? ''
      : html`<div class="violations" data-testid="violations">
          <p>CloudFront: ${t.cloudFrontMessage}</p>
          <ul>${t.violations.map((v) => html`<li><code>${v.path || '(result)'}</code> ${v.message} <small>[${v.rule}]</small></li>`)}</ul>
        </div>`}
    ${t.error === undefined ? '' : html`<div class="violations" data-testid="error"><p>${t.error.errorType}: ${t.error.errorMessage}</p>${t.cloudFrontMessage === undefined ? '' : html`<p>CloudFront: ${t.cloudFrontMessage}</p>`}</div>`}
    ${changes === undefined
      ? ''
      : html`<details open><summary>What the function changed (result against its input)</summary>
          <ul class="diff" data-testid="diff">
            ${changes.length === 0 ? html`<li class="same">no change</li>` : changes.map((c) => html`<li class=${c.op}><code>${c.path}</code> ${c.op === 'added' ? html`<ins>${c.after}</ins>` : c.op === 'removed' ? html`<del>${c.before}</del>` : html`<del>${c.before}</del> → <ins>${c.after}</ins>`}</li>`)}
          </ul>
        </details>`}
    <details><summary>Event received</summary><pre data-testid="event">${JSON.stringify(t.event, null, 2)}</pre></details>
    <details><summary>Result returned</summary><pre data-testid="result">${t.result === undefined ? '(none)' : JSON.stringify(t.result, null, 2)}</pre></details>
    <details open><summary>Logs</summary><pre class="logs" data-testid="logs">${(t.logs ?? []).join('\n')}</pre></details>
  </section>`;
}

function Cache({ c }) {
  return html`<section data-testid="cache">
    <h3>Cache</h3>
    <dl>
      <dt>lookup</dt><dd>${c.lookup}</dd>
      <dt>key</dt><dd><code>${c.key.split('\u0000').join(' | ')}</code></dd>
      ${c.age === undefined ? '' : html`<dt>entry</dt><dd>Age ${c.age} s · TTL ${c.ttl} s · ${c.ttlLeft} s left</dd>`}
      ${c.storedTtl === undefined ? '' : html`<dt>stored</dt><dd>${c.storedTtl === 0 ? 'not stored' : `for ${c.storedTtl} s`}</dd>`}
    </dl>
  </section>`;
}

function Origin({ o }) {
  return html`<section data-testid="origin">
    <h3>Origin <code>${o.origin}</code></h3>
    <p><code>${o.method} ${o.url}</code> → ${o.error === undefined ? o.status : html`<span class="error">${o.error}</span>`}</p>
    <h4>Request headers</h4>
    <${Headers} pairs=${o.requestHeaders} />
    ${o.responseHeaders === undefined ? '' : html`<h4>Response headers</h4><${Headers} pairs=${o.responseHeaders} />`}
  </section>`;
}

function Headers({ pairs, testid }) {
  return html`<table class="headers" data-testid=${testid}>
    <tbody>${pairs.map(([k, v]) => html`<tr><th>${k}</th><td>${v}</td></tr>`)}</tbody>
  </table>`;
}

/** What the function was handed that its result replaces: the request, or the response. */
function inputOf(t) {
  const cf = t.event?.Records?.[0]?.cf ?? {};
  if (t.eventType === 'origin-response' || t.eventType === 'viewer-response') return cf.response ?? {};
  // A generated response replaces the request: compare it with nothing.
  if (t.result && typeof t.result === 'object' && 'status' in t.result) return {};
  return cf.request ?? {};
}

/** Flattened differences between two JSON values: added, removed, changed leaves. */
function diff(before, after) {
  const a = flatten(before);
  const b = flatten(after);
  const out = [];
  for (const [k, v] of b) {
    if (!a.has(k)) out.push({ op: 'added', path: k, after: v });
    else if (a.get(k) !== v) out.push({ op: 'changed', path: k, before: a.get(k), after: v });
  }
  for (const [k, v] of a) if (!b.has(k)) out.push({ op: 'removed', path: k, before: v });
  return out.sort((x, y) => x.path.localeCompare(y.path));
}

function flatten(value, prefix = '', out = new Map()) {
  if (value !== null && typeof value === 'object') {
    const entries = Array.isArray(value) ? value.map((v, i) => [`[${i}]`, v]) : Object.entries(value).map(([k, v]) => [prefix === '' ? k : `.${k}`, v]);
    if (entries.length === 0) out.set(prefix, Array.isArray(value) ? '[]' : '{}');
    for (const [k, v] of entries) flatten(v, `${prefix}${k}`, out);
  } else {
    out.set(prefix, JSON.stringify(value));
  }
  return out;
}

function curlOf(r) {
  const q = (s) => `'${String(s).replace(/'/g, `'\\''`)}'`;
  const parts = ['curl -i'];
  if (r.method !== 'GET') parts.push(`-X ${r.method}`);
  for (const [k, v] of r.headers) if (!/^(host|content-length|connection)$/i.test(k)) parts.push(`-H ${q(`${k}: ${v}`)}`);
  if (r.body !== undefined) parts.push(`--data-binary ${q(atob(r.body))}`);
  parts.push(q(`${location.origin}${r.uri}`));
  return parts.join(' ');
}

render(html`<${App} />`, document.getElementById('app'));
