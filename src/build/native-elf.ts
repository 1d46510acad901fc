/**
 * @module
 * Reads what decides whether a Linux executable starts on Lambda's Amazon Linux 2023: the ELF
 * header (64-bit, little-endian, machine), the program interpreter (none for a static binary),
 * and the glibc symbol versions it needs, from `.gnu.version_r` (which version each library must
 * provide) joined with `.dynsym`/`.gnu.version` (which symbol asks for it). Pure TypeScript, so
 * `build` needs no binutils. Layouts: the System V gABI and the LSB's symbol versioning section.
 */

export type ElfArchitecture = 'x86_64' | 'arm64';

export interface ElfInfo {
  architecture: ElfArchitecture | `machine ${number}`;
  /** `PT_INTERP`, e.g. `/lib64/ld-linux-x86-64.so.2`; undefined for a static executable. */
  interpreter: string | undefined;
  /** Every `GLIBC_x.y` the binary requires, with the symbols that require it (sorted, oldest first). */
  glibc: Array<{ version: string; symbols: string[] }>;
  /** Shared libraries it needs (`DT_NEEDED` from the version needs). */
  libraries: string[];
}

const EM_X86_64 = 62;
const EM_AARCH64 = 183;
const PT_INTERP = 3;
const SHT_DYNSYM = 11;
const SHT_GNU_VERNEED = 0x6ffffffe;
const SHT_GNU_VERSYM = 0x6fffffff;

export class ElfError extends Error {}

/** Parses an ELF64 little-endian executable; throws `ElfError` saying what it is instead. */
export function readElf(bytes: Uint8Array): ElfInfo {
  if (bytes.length < 64 || bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c || bytes[3] !== 0x46) {
    throw new ElfError('not an ELF executable (no \\x7fELF magic)');
  }
  if (bytes[4] !== 2) throw new ElfError('a 32-bit ELF; Lambda runs 64-bit executables');
  if (bytes[5] !== 1) throw new ElfError('a big-endian ELF; Lambda runs little-endian executables');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (o: number) => view.getUint16(o, true);
  const u32 = (o: number) => view.getUint32(o, true);
  const u64 = (o: number) => Number(view.getBigUint64(o, true));
  const cstr = (o: number) => {
    let end = o;
    while (end < bytes.length && bytes[end] !== 0) end++;
    return new TextDecoder().decode(bytes.subarray(o, end));
  };
  const machine = u16(18);
  const architecture: ElfInfo['architecture'] = machine === EM_X86_64 ? 'x86_64' : machine === EM_AARCH64 ? 'arm64' : `machine ${machine}`;

  let interpreter: string | undefined;
  const phoff = u64(32);
  const phentsize = u16(54);
  for (let i = 0; i < u16(56); i++) {
    const ph = phoff + i * phentsize;
    if (u32(ph) === PT_INTERP) interpreter = cstr(u64(ph + 8));
  }

  const shoff = u64(40);
  const shentsize = u16(58);
  const sections = Array.from({ length: u16(60) }, (_, i) => {
    const sh = shoff + i * shentsize;
    return { type: u32(sh + 4), offset: u64(sh + 24), size: u64(sh + 32), link: u32(sh + 40), entsize: u64(sh + 56) };
  });
  const verneed = sections.find((s) => s.type === SHT_GNU_VERNEED);
  const dynsym = sections.find((s) => s.type === SHT_DYNSYM);
  const versym = sections.find((s) => s.type === SHT_GNU_VERSYM);

  // Version index → (library, version name), from .gnu.version_r.
  const versions = new Map<number, { file: string; name: string }>();
  const libraries: string[] = [];
  if (verneed !== undefined) {
    const strtab = sections[verneed.link]!.offset;
    let at = verneed.offset;
    for (;;) {
      const file = cstr(strtab + u32(at + 4));
      libraries.push(file);
      let aux = at + u32(at + 8);
      for (let j = 0; j < u16(at + 2); j++) {
        versions.set(u16(aux + 6) & 0x7fff, { file, name: cstr(strtab + u32(aux + 8)) });
        const next = u32(aux + 12);
        if (next === 0) break;
        aux += next;
      }
      const next = u32(at + 12);
      if (next === 0) break;
      at += next;
    }
  }

  const glibc = new Map<string, Set<string>>();
  for (const v of versions.values()) if (v.name.startsWith('GLIBC_')) glibc.set(v.name, new Set());
  if (dynsym !== undefined && versym !== undefined) {
    const dynstr = sections[dynsym.link]!.offset;
    const count = dynsym.size / (dynsym.entsize || 24);
    for (let i = 1; i < count; i++) {
      const v = versions.get(u16(versym.offset + i * 2) & 0x7fff);
      if (v === undefined || !v.name.startsWith('GLIBC_')) continue;
      glibc.get(v.name)?.add(cstr(dynstr + u32(dynsym.offset + i * 24)));
    }
  }
  return {
    architecture,
    interpreter,
    glibc: [...glibc].map(([version, symbols]) => ({ version, symbols: [...symbols].sort() })).sort((a, b) => compareGlibc(a.version, b.version)),
    libraries,
  };
}

/** Orders `GLIBC_2.9` before `GLIBC_2.17`; other names (GLIBC_PRIVATE) sort last. */
export function compareGlibc(a: string, b: string): number {
  const parse = (v: string) => (/^GLIBC_(\d+)\.(\d+)(?:\.(\d+))?$/.exec(v) ?? []).slice(1).map((n) => Number(n ?? 0));
  const [pa, pb] = [parse(a), parse(b)];
  if (pa.length === 0 || pb.length === 0) return pa.length === 0 ? (pb.length === 0 ? 0 : 1) : -1;
  for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}
