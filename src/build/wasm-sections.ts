/**
 * @module
 * Sizes of a module's sections, so an oversized package can say which part is large.
 */

const SECTION_NAMES = ['custom', 'type', 'import', 'function', 'table', 'memory', 'global', 'export', 'start', 'element', 'code', 'data', 'datacount'];

function readLeb(bytes: Uint8Array, offset: number): [value: number, next: number] {
  let value = 0;
  let shift = 0;
  let pos = offset;
  for (;;) {
    const byte = bytes[pos++];
    if (byte === undefined) throw new Error('truncated LEB128');
    value += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return [value, pos];
    shift += 7;
  }
}

/** Returns bytes per section, custom sections as `custom:<name>`, largest first. */
export function wasmSectionSizes(bytes: Uint8Array): Array<{ section: string; bytes: number }> {
  const sizes = new Map<string, number>();
  let pos = 8;
  while (pos < bytes.length) {
    const id = bytes[pos++]!;
    const [size, start] = readLeb(bytes, pos);
    let name = SECTION_NAMES[id] ?? `unknown(${id})`;
    if (id === 0) {
      const [nameLen, nameStart] = readLeb(bytes, start);
      name = `custom:${new TextDecoder().decode(bytes.subarray(nameStart, nameStart + nameLen))}`;
    }
    sizes.set(name, (sizes.get(name) ?? 0) + size);
    pos = start + size;
  }
  return [...sizes].map(([section, n]) => ({ section, bytes: n })).sort((a, b) => b.bytes - a.bytes);
}

/** Unsigned LEB128, as the binary format writes sizes, counts and indices. */
export function writeLeb(value: number): number[] {
  const out: number[] = [];
  let v = value;
  do {
    let byte = v & 0x7f;
    v = Math.floor(v / 128);
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

/**
 * Returns the module with only the exports `keep` accepts. rustc before 2026 always exports the
 * linker symbols `__data_end` and `__heap_base` on wasm32-unknown-unknown, and nothing in a crate
 * can turn that off; the guest's public surface should be the ABI and nothing else.
 */
export function filterExports(bytes: Uint8Array, keep: (name: string) => boolean): Uint8Array {
  const chunks: Uint8Array[] = [bytes.subarray(0, 8)];
  let pos = 8;
  while (pos < bytes.length) {
    const id = bytes[pos]!;
    const [size, start] = readLeb(bytes, pos + 1);
    const end = start + size;
    if (id !== 7) {
      chunks.push(bytes.subarray(pos, end));
      pos = end;
      continue;
    }
    const [count, first] = readLeb(bytes, start);
    const kept: Uint8Array[] = [];
    let at = first;
    for (let i = 0; i < count; i++) {
      const [nameLen, nameStart] = readLeb(bytes, at);
      const name = new TextDecoder().decode(bytes.subarray(nameStart, nameStart + nameLen));
      const [, next] = readLeb(bytes, nameStart + nameLen + 1);
      if (keep(name)) kept.push(bytes.subarray(at, next));
      at = next;
    }
    const body = [Uint8Array.from(writeLeb(kept.length)), ...kept];
    const bodyLength = body.reduce((n, b) => n + b.length, 0);
    chunks.push(Uint8Array.from([7, ...writeLeb(bodyLength)]), ...body);
    pos = end;
  }
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}
