/**
 * @module
 * B3's floor: a guest that does only what the real guest did observably — the same log lines at the
 * same levels, the same result bytes — and nothing else: no event reading, no allocator, no Rust.
 * Loaded through the same adapter, it costs what any Wasm package costs on that Node.js (the
 * adapter's code, the first Wasm compile of the process, instantiating, the first calls between
 * JavaScript and Wasm, the teardown); the real guest's cold start minus the floor's is what its own
 * code costs. Written here as bytes (the module is tiny and fixed in shape), so `bench` needs no
 * WebAssembly text tools.
 */
import { writeLeb as u32 } from '../build/wasm-sections.js';
import type { Observed } from './cold.js';

/** The ABI's log levels by the console method the adapter writes them through (docs/abi.md). */
const LEVEL_OF_METHOD: Record<Observed['logs'][number]['method'], number> = { trace: 0, debug: 1, info: 2, warn: 3, error: 4, log: 2 };

/** Where the log lines and the result start in the floor guest's memory. */
const DATA_AT = 16;

/** A WebAssembly module implementing ABI v1 that logs `observed`'s lines and outputs its result. */
export function floorGuestWasm(observed: Observed): Uint8Array {
  const encoder = new TextEncoder();
  const logs = observed.logs.map((l) => ({ level: LEVEL_OF_METHOD[l.method], bytes: encoder.encode(l.text) }));
  const result = encoder.encode(JSON.stringify(observed.result ?? null));
  // One data segment: the lines, then the result; the event goes in the first whole page after them.
  const data = concat([...logs.map((l) => l.bytes), result]);
  const eventAt = Math.ceil((DATA_AT + data.length) / 65536) * 65536;
  const pages = eventAt / 65536 + 1;

  const hasLog = logs.length > 0;
  const imports = [...(hasLog ? [importFunc('log', 0)] : []), importFunc('output', 1)];
  const [logFn, outputFn] = hasLog ? [0, 1] : [-1, 0];
  const first = imports.length; // the index of the first defined function

  // handle: each log line, then the result; status 0 (ok). The guest never frees the event: each
  // floor process handles one.
  const handle: number[] = [];
  let at = DATA_AT;
  for (const l of logs) {
    handle.push(...i32(l.level), ...i32(at), ...i32(l.bytes.length), 0x10, ...u32(logFn));
    at += l.bytes.length;
  }
  handle.push(...i32(at), ...i32(result.length), 0x10, ...u32(outputFn), ...i32(0));
  // alloc(len): the page-aligned block after the data, growing memory to hold len bytes; 0 when it cannot.
  const alloc = [
    ...[0x20, 0x00, ...i32(eventAt + 65535), 0x6a, ...i32(16), 0x76, 0x3f, 0x00, 0x6b, 0x22, 0x01], // local1 = pages needed − memory.size
    ...[...i32(0), 0x4a, 0x04, 0x40], // if local1 > 0
    ...[0x20, 0x01, 0x40, 0x00, ...i32(-1), 0x46, 0x04, 0x40, ...i32(0), 0x0f, 0x0b], //   if memory.grow(local1) == -1: return 0
    0x0b, // end
    ...i32(eventAt),
  ];

  return concat([
    Uint8Array.of(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00),
    section(1, vector([functype([I32, I32, I32], []), functype([I32, I32], []), functype([], [I32]), functype([I32], [I32]), functype([I32, I32], [I32])])),
    section(2, vector(imports)),
    section(3, vector([u32(2), u32(3), u32(1), u32(4)])), // abi_version, alloc, dealloc, handle
    section(5, vector([[0x00, ...u32(pages)]])),
    section(7, vector([
      exported('memory', 0x02, 0),
      exported('lambda_wasm_abi_version', 0x00, first),
      exported('lambda_wasm_alloc', 0x00, first + 1),
      exported('lambda_wasm_dealloc', 0x00, first + 2),
      exported('lambda_wasm_handle', 0x00, first + 3),
    ])),
    section(10, vector([body([], i32(1)), body([[1, I32]], alloc), body([], []), body([], handle)])),
    section(11, vector([[0x00, ...i32(DATA_AT), 0x0b, ...u32(data.length), ...data]])),
  ]);
}

const I32 = 0x7f;

function functype(params: number[], results: number[]): number[] {
  return [0x60, ...u32(params.length), ...params, ...u32(results.length), ...results];
}

function importFunc(name: string, type: number): number[] {
  return [...text('lambda_wasm'), ...text(name), 0x00, ...u32(type)];
}

function exported(name: string, kind: number, index: number): number[] {
  return [...text(name), kind, ...u32(index)];
}

/** A function body: its locals as (count, type) groups, then the code and `end`. */
function body(locals: Array<[number, number]>, code: number[]): number[] {
  const bytes = [...u32(locals.length), ...locals.flatMap(([n, t]) => [...u32(n), t]), ...code, 0x0b];
  return [...u32(bytes.length), ...bytes];
}

function section(id: number, content: number[]): Uint8Array {
  return Uint8Array.from([id, ...u32(content.length), ...content]);
}

function vector(items: number[][]): number[] {
  return [...u32(items.length), ...items.flat()];
}

function text(s: string): number[] {
  const bytes = new TextEncoder().encode(s);
  return [...u32(bytes.length), ...bytes];
}

/** `i32.const n` (signed LEB128). */
function i32(n: number): number[] {
  const out = [0x41];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    const done = (n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

function concat(parts: Array<Uint8Array | number[]>): Uint8Array {
  return Buffer.concat(parts.map((p) => (p instanceof Uint8Array ? p : Uint8Array.from(p))));
}
