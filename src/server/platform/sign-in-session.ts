import type { PlatformSendResponse } from './send-types';

/**
 * The 9001 session (domain.md §5): every transaction but 9001 carries the sign_no it returned.
 * Signing in is lazy (on the first message that needs it), shared (concurrent sends wait for one
 * sign-in instead of starting thirty-two) and renewed when the platform says it expired.
 */
export type SignInAttempt =
  /** `response` is the 9001 exchange when one just happened (absent when the session was reused). */
  | { ok: true; signNo: string; response?: PlatformSendResponse }
  | { ok: false; response: PlatformSendResponse };

/** A sign-in that just ran always has its 9001 exchange to show. */
export type FreshSignIn = SignInAttempt & { response: PlatformSendResponse };

export interface SignInSession {
  /** The current sign_no, if signed in. */
  current(): string | undefined;
  /** The current session and when it began, to carry into a gateway built for new settings. */
  held(): HeldSignIn | undefined;
  /** The current session, or the sign-in in flight, or a new one. */
  ensure(): Promise<SignInAttempt>;
  /**
   * The platform refused `stale` as expired: sign in again — unless another send already did,
   * in which case its session is used.
   */
  renew(stale: string): Promise<SignInAttempt>;
  /** A fresh sign-in now (an explicit 9001, e.g. 测试连接); joins one already in flight. */
  signInNow(): Promise<FreshSignIn>;
  clear(): void;
}

/** A session a new gateway may continue (the settings changed only in what does not end it). */
export interface HeldSignIn {
  signNo: string;
  signedInAt: number;
}

export interface SessionLifetime {
  /** Sign in again once a session is this old; 0 = keep it until the platform refuses it. */
  maxAgeMs: number;
  now: () => number;
}

export function createSignInSession(signIn: () => Promise<FreshSignIn>, lifetime?: SessionLifetime, carried?: HeldSignIn): SignInSession {
  let signNo: string | undefined = carried?.signNo;
  let signedInAt = carried?.signedInAt ?? 0;
  const stale = () => lifetime !== undefined && lifetime.maxAgeMs > 0 && lifetime.now() - signedInAt >= lifetime.maxAgeMs;
  let inflight: Promise<FreshSignIn> | undefined;
  // Bumped by clear(): a sign-in that started before a sign-out must not resurrect the session.
  let generation = 0;

  function start(): Promise<FreshSignIn> {
    if (inflight) return inflight;
    const startedIn = generation;
    const attempt = signIn().then((result) => {
      if (result.ok && startedIn === generation) {
        signNo = result.signNo;
        signedInAt = lifetime?.now() ?? 0;
      }
      return result;
    });
    inflight = attempt.finally(() => {
      inflight = undefined;
    });
    return inflight;
  }

  return {
    current: () => signNo,
    held: () => (signNo && !stale() ? { signNo, signedInAt } : undefined),
    ensure() {
      if (signNo && stale()) signNo = undefined;
      return signNo ? Promise.resolve({ ok: true, signNo }) : start();
    },
    renew(stale) {
      if (signNo && signNo !== stale) return this.ensure();
      signNo = undefined;
      return start();
    },
    signInNow() {
      signNo = undefined;
      return start();
    },
    clear() {
      signNo = undefined;
      generation += 1;
    },
  };
}
