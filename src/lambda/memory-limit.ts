/**
 * @module
 * The local platform caps a guest's linear memory at the function's memory size, by rewriting the
 * maximum in the module's memory section of the unpacked package it runs (the zip, and what runs
 * on AWS, are untouched). On Lambda a process that outgrows its memory size is killed; here
 * `memory.grow` fails inside the guest at that size (Rust's allocator then aborts with a trap), in
 * a worker thread as in a process, so a guest cannot take the host's memory. It also keeps a
 * runaway `memory.grow` loop short: V8 acts on a worker's termination only once grows fail.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheFolder } from './cache-folder.js';

const PAGE = 65536;

function readU32(bytes: Uint8Array, at: number): [value: number, next: number] {
  let value = 0;
  let shift = 0;
  for (;;) {
    const b = bytes[at++]!;
    value += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) return [value, at];
    shift += 7;
  }
}

function u32(value: number): number[] {
  const out: number[] = [];
  do {
    let b = value & 0x7f;
    value = Math.floor(value / 128);
    if (value > 0) b |= 0x80;
    out.push(b);
  } while (value > 0);
  return out;
}

/**
 * The module with each memory's maximum lowered to `limitMB` (never below its initial size, which
 * a module needs to instantiate at all). Modules without a memory section, with shared or 64-bit
 * memories, or that do not parse, come back unchanged: the compiler has the last word on them.
 */
export function capMemory(bytes: Uint8Array, limitMB: number): Uint8Array {
  if (!(limitMB > 0) || bytes.length < 8) return bytes;
  const capPages = Math.floor((limitMB * 1024 * 1024) / PAGE);
  let at = 8;
  while (at < bytes.length) {
    const id = bytes[at]!;
    const [size, body] = readU32(bytes, at + 1);
    const end = body + size;
    if (end > bytes.length) return bytes;
    if (id === 5) {
      let [count, p] = readU32(bytes, body);
      const limits: number[] = [...u32(count)];
      while (count-- > 0) {
        const flags = bytes[p++]!;
        if (flags > 1) return bytes;
        let min: number;
        let max: number | undefined;
        [min, p] = readU32(bytes, p);
        if (flags === 1) [max, p] = readU32(bytes, p);
        limits.push(1, ...u32(min), ...u32(Math.max(min, Math.min(max ?? capPages, capPages))));
      }
      if (p !== end) return bytes;
      const section = [5, ...u32(limits.length), ...limits];
      const out = new Uint8Array(at + section.length + bytes.length - end);
      out.set(bytes.subarray(0, at));
      out.set(section, at);
      out.set(bytes.subarray(end), at + section.length);
      return out;
    }
    at = end;
  }
  return bytes;
}

/**
 * A copy of the unpacked package whose guest.wasm has its memory capped at `memoryMB`, made once
 * beside it (`<codeDir>.mem<MB>-<hash of guest.wasm>`); packages without guest.wasm (wasm-pack) are returned as they are.
 */
export function memoryLimitedCode(codeDir: string, memoryMB: number): string {
  const wasm = join(codeDir, 'guest.wasm');
  if (!existsSync(wasm)) return codeDir;
  const bytes = readFileSync(wasm);
  const dir = `${codeDir}.mem${memoryMB}-${createHash('sha256').update(bytes).digest('hex').slice(0, 12)}`;
  return cacheFolder(dir, (staging) => {
    cpSync(codeDir, staging, { recursive: true });
    writeFileSync(join(staging, 'guest.wasm'), capMemory(bytes, memoryMB));
  });
}
