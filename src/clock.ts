/** Time as the rest of the code sees it; tests pass a fixed or stepped clock instead of sleeping. */
export interface Clock {
  nowMs(): number;
}

export const systemClock: Clock = { nowMs: () => Date.now() };

/** A clock tests move by hand: expiry and rate-limit windows become exact. */
export function manualClock(startMs: number): Clock & { advanceMs(deltaMs: number): void; setMs(ms: number): void } {
  let currentMs = startMs;
  return {
    nowMs: () => currentMs,
    advanceMs: (deltaMs) => {
      currentMs += deltaMs;
    },
    setMs: (ms) => {
      currentMs = ms;
    },
  };
}
