/**
 * @module
 * The B7 baseline: Gibbons' unbounded spigot on JavaScript BigInt, step for step the algorithm the
 * `pi` example runs in Rust (examples/pi/src/spigot.rs).
 */
export function piDigitsJs(count: number): string {
  let q = 1n;
  let r = 180n;
  let t = 60n;
  let i = 2n;
  let out = '';
  for (let n = 0; n < count; n++) {
    const digit = ((27n * i - 12n) * q + 5n * r) / (5n * t);
    out += digit.toString();
    const u = 3n * (3n * i + 1n) * (3n * i + 2n);
    r = 10n * u * (q * (5n * i - 2n) + r - t * digit);
    q *= 10n * i * (2n * i - 1n);
    t *= u;
    i += 1n;
  }
  return out;
}
