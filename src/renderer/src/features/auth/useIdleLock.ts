import { useEffect, useRef } from 'react';

const ACTIVITY = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart'] as const;
const CHECK_EVERY_MS = 5_000;

/**
 * Calls `onIdle` once no keyboard or pointer activity has happened for `minutes`.
 * Polls the clock instead of arming one long timer, so a suspended laptop that wakes after the
 * limit locks at once.
 */
export function useIdleLock(minutes: number, enabled: boolean, onIdle: () => void): void {
  const last = useRef(0); // set when the lock is enabled
  const onIdleRef = useRef(onIdle);
  useEffect(() => {
    onIdleRef.current = onIdle;
  }, [onIdle]);

  useEffect(() => {
    if (!enabled) return;
    last.current = Date.now();
    const touch = () => {
      last.current = Date.now();
    };
    for (const kind of ACTIVITY) window.addEventListener(kind, touch, { passive: true, capture: true });
    const timer = window.setInterval(() => {
      if (Date.now() - last.current >= minutes * 60_000) onIdleRef.current();
    }, CHECK_EVERY_MS);
    return () => {
      for (const kind of ACTIVITY) window.removeEventListener(kind, touch, { capture: true });
      window.clearInterval(timer);
    };
  }, [minutes, enabled]);
}
