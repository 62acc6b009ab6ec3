// The soak's fault mix: a fraction of every request an emulator receives fails, spread evenly over
// 500, 502, 503, reset, reset-after-write, truncated JSON and a 200 ms hang — seeded, through the
// emulator's own `injectRate` (one seeded generator per kind), so the schedule is reproducible
// for the same order of requests (at concurrency 1 the order is the same run after run).

/** The fault kinds of the mix (issue #8). */
export const MIXED_FAULTS = [
  { kind: 'status', status: 500 },
  { kind: 'status', status: 502 },
  { kind: 'status', status: 503 },
  { kind: 'reset' },
  { kind: 'reset-after-write' },
  { kind: 'truncated-json' },
  { kind: 'hang', ms: 200 },
]

/**
 * Makes `rate` (0–1) of the emulator's requests fail with one of {@link MIXED_FAULTS}. The
 * emulator draws the rules in order and stops at the first hit, so each kind gets
 * `1 - (1 - rate)^(1/k)`: together exactly `rate`.
 */
export const injectMixedFaults = (emulator, rate, seed, faults = MIXED_FAULTS) => {
  if (rate <= 0) return
  const each = 1 - (1 - rate) ** (1 / faults.length)
  faults.forEach((f, i) => {
    emulator.injectRate(f, each, (seed * 1_000_003 + i * 7919) >>> 0)
  })
}
