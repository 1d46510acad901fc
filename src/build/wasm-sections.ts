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
