// sm-crypto ships no types; this declares only the parts the project uses (SM2 sign/verify, SM3, SM4).
declare module 'sm-crypto' {
  interface SignOptions {
    /** true (default): sign SM3(Z || msg) as GM/T 0003 specifies. */
    hash?: boolean;
    der?: boolean;
    publicKey?: string;
    userId?: string;
  }
  interface Sm2 {
    generateKeyPairHex(): { publicKey: string; privateKey: string };
    getPublicKeyFromPrivateKey(privateKey: string): string;
    verifyPublicKey(publicKey: string): boolean;
    doSignature(msg: string | ArrayLike<number>, privateKey: string, options?: SignOptions): string;
    doVerifySignature(msg: string | ArrayLike<number>, signature: string, publicKey: string, options?: Omit<SignOptions, 'publicKey'>): boolean;
  }
  interface Sm4Options {
    padding?: 'pkcs#7' | 'pkcs#5' | 'none';
    mode?: 'ecb' | 'cbc';
    iv?: string | number[];
    output?: 'string' | 'array';
  }
  interface Sm4 {
    /** A string input is UTF-8 text; the key is 32 hex digits or 16 bytes. */
    encrypt(input: string | ArrayLike<number>, key: string | ArrayLike<number>, options: Sm4Options & { output: 'array' }): number[];
    encrypt(input: string | ArrayLike<number>, key: string | ArrayLike<number>, options?: Sm4Options): string;
    /** A string input is hex. */
    decrypt(input: string | ArrayLike<number>, key: string | ArrayLike<number>, options: Sm4Options & { output: 'array' }): number[];
    decrypt(input: string | ArrayLike<number>, key: string | ArrayLike<number>, options?: Sm4Options): string;
  }
  const smCrypto: { sm2: Sm2; sm3: (input: string | ArrayLike<number>) => string; sm4: Sm4 };
  export default smCrypto;
}
