/**
 * SM2 signatures (GB/T 32918.2) on the recommended curve with native BigInt: the same answers as
 * sm-crypto, several times faster (sm-crypto's big-number library made SM2 the costliest step of
 * a signed dialect: about 30 ms to sign and 55 ms to verify on the development machine). Signing
 * takes its random k from the caller (pure code draws no randomness); without one, dialect-crypto
 * signs with sm-crypto. Checked against sm-crypto both ways in sm2.test.ts.
 */
import smCrypto from 'sm-crypto';

// GB/T 32918.5 recommended 256-bit curve: y² = x³ + ax + b over F_p, a = p − 3.
const P = 0xfffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffffn;
const A = 0xfffffffeffffffffffffffffffffffffffffffff00000000fffffffffffffffcn;
const B = 0x28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93n;
const N = 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n;
const GX = 0x32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7n;
const GY = 0xbc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0n;

/** A point in Jacobian coordinates (x = X/Z², y = Y/Z³); Z = 0 is the point at infinity. */
type Jacobian = readonly [bigint, bigint, bigint];
const INFINITY: Jacobian = [1n, 1n, 0n];

const mod = (x: bigint): bigint => {
  const r = x % P;
  return r < 0n ? r + P : r;
};

function powMod(base: bigint, exp: bigint, modulus = P): bigint {
  let result = 1n;
  let b = ((base % modulus) + modulus) % modulus;
  let e = exp;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
    e >>= 1n;
  }
  return result;
}

/** Doubling with a = −3 (dbl-2001-b). */
function double([X, Y, Z]: Jacobian): Jacobian {
  if (Z === 0n || Y === 0n) return INFINITY;
  const delta = mod(Z * Z);
  const gamma = mod(Y * Y);
  const beta = mod(X * gamma);
  const alpha = mod(3n * (X - delta) * (X + delta));
  const X3 = mod(alpha * alpha - 8n * beta);
  const Z3 = mod((Y + Z) * (Y + Z) - gamma - delta);
  const Y3 = mod(alpha * (4n * beta - X3) - 8n * gamma * gamma);
  return [X3, Y3, Z3];
}

/** General addition (add-2007-bl), falling back to doubling for equal points. */
function add(p1: Jacobian, p2: Jacobian): Jacobian {
  const [X1, Y1, Z1] = p1;
  const [X2, Y2, Z2] = p2;
  if (Z1 === 0n) return p2;
  if (Z2 === 0n) return p1;
  const Z1Z1 = mod(Z1 * Z1);
  const Z2Z2 = mod(Z2 * Z2);
  const U1 = mod(X1 * Z2Z2);
  const U2 = mod(X2 * Z1Z1);
  const S1 = mod(Y1 * Z2 * Z2Z2);
  const S2 = mod(Y2 * Z1 * Z1Z1);
  const H = mod(U2 - U1);
  const r = mod(2n * (S2 - S1));
  if (H === 0n) return r === 0n ? double(p1) : INFINITY;
  const I = mod(4n * H * H);
  const J = mod(H * I);
  const V = mod(U1 * I);
  const X3 = mod(r * r - J - 2n * V);
  const Y3 = mod(r * (V - X3) - 2n * S1 * J);
  const Z3 = mod(((Z1 + Z2) * (Z1 + Z2) - Z1Z1 - Z2Z2) * H);
  return [X3, Y3, Z3];
}

/** k1·P1 + k2·P2 in one pass of doublings (Shamir's trick). */
function jointMultiply(k1: bigint, p1: Jacobian, k2: bigint, p2: Jacobian): Jacobian {
  const both = add(p1, p2);
  let acc = INFINITY;
  for (let i = 255n; i >= 0n; i--) {
    acc = double(acc);
    const b1 = (k1 >> i) & 1n;
    const b2 = (k2 >> i) & 1n;
    if (b1 && b2) acc = add(acc, both);
    else if (b1) acc = add(acc, p1);
    else if (b2) acc = add(acc, p2);
  }
  return acc;
}

function affineX([X, , Z]: Jacobian): bigint | null {
  if (Z === 0n) return null;
  const zInv = powMod(Z, P - 2n);
  return mod(X * zInv * zInv);
}

const hex64 = (v: bigint) => v.toString(16).padStart(64, '0');

function hexBytes(hex: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < hex.length; i += 2) out.push(parseInt(hex.slice(i, i + 2), 16));
  return out;
}

/** Z_A = SM3(ENTL ‖ ID ‖ a ‖ b ‖ Gx ‖ Gy ‖ Px ‖ Py), as GB/T 32918.2 defines it. */
function za(userIdBytes: number[], px: bigint, py: bigint): number[] {
  const bits = userIdBytes.length * 8;
  const data = [(bits >> 8) & 0xff, bits & 0xff, ...userIdBytes, ...hexBytes(hex64(A) + hex64(B) + hex64(GX) + hex64(GY) + hex64(px) + hex64(py))];
  return hexBytes(smCrypto.sm3(data));
}

/**
 * Verifies an SM3withSM2 signature given as r and s (64 hex digits each) over `message` (bytes)
 * with the public key 04‖x‖y (hex) and the signer's user id (bytes).
 */
export function sm2VerifyRaw(message: readonly number[], rHex: string, sHex: string, publicKeyHex: string, userIdBytes: number[]): boolean {
  if (!/^04[0-9a-fA-F]{128}$/.test(publicKeyHex) || !/^[0-9a-fA-F]{64}$/.test(rHex) || !/^[0-9a-fA-F]{64}$/.test(sHex)) return false;
  const px = BigInt(`0x${publicKeyHex.slice(2, 66)}`);
  const py = BigInt(`0x${publicKeyHex.slice(66)}`);
  if (px >= P || py >= P || mod(py * py - (px * px * px + A * px + B)) !== 0n) return false; // not on the curve
  const r = BigInt(`0x${rHex}`);
  const s = BigInt(`0x${sHex}`);
  if (r < 1n || r >= N || s < 1n || s >= N) return false;
  const t = (r + s) % N;
  if (t === 0n) return false;
  const e = BigInt(`0x${smCrypto.sm3([...za(userIdBytes, px, py), ...message])}`);
  const x1 = affineX(jointMultiply(s, [GX, GY, 1n], t, [px, py, 1n]));
  return x1 !== null && (e + x1) % N === r;
}

/**
 * Signs `message` (bytes) with the private key (64 hex digits), the matching public key and the
 * signer's user id; `randomBytes(32)` supplies k. Returns r‖s as 128 hex digits.
 */
export function sm2SignRaw(
  message: readonly number[],
  privateKeyHex: string,
  publicKeyHex: string,
  userIdBytes: number[],
  randomBytes: (n: number) => ArrayLike<number>,
): string {
  const d = BigInt(`0x${privateKeyHex}`);
  if (d < 1n || d >= N - 1n) throw new RangeError('SM2 私钥超出范围');
  const px = BigInt(`0x${publicKeyHex.slice(2, 66)}`);
  const py = BigInt(`0x${publicKeyHex.slice(66)}`);
  const e = BigInt(`0x${smCrypto.sm3([...za(userIdBytes, px, py), ...message])}`);
  const dInv = powMod(1n + d, N - 2n, N);
  for (;;) {
    const bytes = randomBytes(32);
    let k = 0n;
    for (let i = 0; i < 32; i++) k = (k << 8n) | BigInt(bytes[i]! & 0xff);
    k %= N;
    if (k === 0n) continue;
    const x1 = affineX(jointMultiply(k, [GX, GY, 1n], 0n, INFINITY));
    if (x1 === null) continue;
    const r = (e + x1) % N;
    if (r === 0n || r + k === N) continue;
    const s = (dInv * (((k - r * d) % N) + N)) % N;
    if (s === 0n) continue;
    return hex64(r) + hex64(s);
  }
}
