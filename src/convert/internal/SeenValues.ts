/**
 * The (type, category, value) triples already in a 2.3 output: MISP 2.3 refuses a second identical
 * one (`valueIsUnique`), so `downgrade` drops it.
 *
 * One lookup per attribute of every event, which a `Map` keyed by value makes the slowest step of
 * a large downgrade: on a fresh event every probe of a `Map` reads other, scattered key strings
 * to compare them. Here the table is a typed array of (hash, index) pairs, so a probe compares
 * numbers and reads an attribute only when the hashes are equal. The hash is seeded per table;
 * should probing ever get long (a pathological or crafted input), the table hands over to a
 * `Map`, so the cost stays linear.
 */

/** What makes two attributes the same for 2.3. */
export interface Kind {
  readonly type: string
  readonly category: string
  readonly value: string
}

const same = (a: Kind, b: Kind): boolean =>
  a.value === b.value && a.type === b.type && a.category === b.category

/** FNV-1a over the UTF-16 code units, from a seed, then murmur3's finaliser (every bit counts). */
export const seededHash =
  (seed: number) =>
  (s: string): number => {
    let h = (0x811c9dc5 ^ seed) | 0
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193)
    h ^= h >>> 16
    h = Math.imul(h, 0x85ebca6b)
    h ^= h >>> 13
    h = Math.imul(h, 0xc2b2ae35)
    return (h ^ (h >>> 16)) | 0
  }

/** probes of one insertion, and in total per item, past which the table hands over to a Map */
const MAX_RUN = 64
const MAX_PER_ITEM = 8

export class SeenValues {
  /** per slot: [hash, index into items + 1]; 0 = empty */
  private slots = new Int32Array(2 * 1024)
  private mask = 1023
  private readonly items: Array<Kind> = []
  private probes = 0
  private map: Map<string, Kind | Array<Kind>> | undefined

  constructor(private readonly hash: (s: string) => number = seededHash((Math.random() * 2 ** 32) | 0)) {}

  /** Records `a`; `false` when an attribute of the same kind was recorded before. */
  add(a: Kind): boolean {
    if (this.map !== undefined) return this.addToMap(a)
    const h = this.hash(a.value)
    const slots = this.slots
    let i = h & this.mask
    let run = 0
    for (;;) {
      const at = slots[2 * i + 1]!
      if (at === 0) break
      if (slots[2 * i] === h && same(a, this.items[at - 1]!)) return false
      i = (i + 1) & this.mask
      run++
    }
    this.probes += run
    if (run > MAX_RUN || this.probes > MAX_PER_ITEM * this.items.length + 1024) {
      this.handOver()
      return this.addToMap(a)
    }
    this.items.push(a)
    slots[2 * i] = h
    slots[2 * i + 1] = this.items.length
    if (2 * this.items.length > this.mask) this.grow()
    return true
  }

  private grow(): void {
    const old = this.slots
    const mask = 2 * this.mask + 1
    const slots = new Int32Array(2 * (mask + 1))
    for (let j = 0; j < old.length; j += 2) {
      const at = old[j + 1]!
      if (at === 0) continue
      const h = old[j]!
      let i = h & mask
      while (slots[2 * i + 1] !== 0) i = (i + 1) & mask
      slots[2 * i] = h
      slots[2 * i + 1] = at
    }
    this.slots = slots
    this.mask = mask
  }

  private handOver(): void {
    this.map = new Map()
    for (const b of this.items) this.addToMap(b)
    this.slots = new Int32Array(0)
  }

  private addToMap(a: Kind): boolean {
    const map = this.map!
    const before = map.get(a.value)
    if (before === undefined) map.set(a.value, a)
    else if (Array.isArray(before)) {
      for (const b of before) if (same(a, b)) return false
      before.push(a)
    } else if (same(a, before)) return false
    else map.set(a.value, [before, a])
    return true
  }

  /** Whether the table has handed over to a `Map` (for tests). */
  get handedOver(): boolean {
    return this.map !== undefined
  }
}
