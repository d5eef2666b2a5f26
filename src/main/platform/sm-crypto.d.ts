// sm-crypto ships no types; this declares only the parts the gateway uses (SM2 sign/verify, SM3).
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
  const smCrypto: { sm2: Sm2; sm3: (input: string | ArrayLike<number>) => string };
  export default smCrypto;
}
