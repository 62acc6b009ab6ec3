// Counting what a run costs a server, from the emulator's request log (`MispEmulator.requests`).

/** A write: a create or an edit (POST/PUT/DELETE other than the read-only searches). */
export const isWrite = (r) =>
  r.method !== 'GET' &&
  r.method !== 'HEAD' &&
  !/^\/(events\/index|events\/restSearch|attributes\/restSearch)/.test(r.path)

/** Requests received since `from` (an index into `emulator.requests`): total, reads, writes, faulted. */
export const countSince = (emulator, from) => {
  const rs = emulator.requests.slice(from)
  const writes = rs.filter(isWrite).length
  return {
    requests: rs.length,
    reads: rs.length - writes,
    writes,
    faulted: rs.filter((r) => r.fault !== undefined).length,
    byRoute: byRoute(rs),
  }
}

/** `METHOD /path` with ids and uuids replaced by placeholders → count. */
export const byRoute = (rs) => {
  const out = {}
  for (const r of rs) {
    const k = `${r.method} ${r.path
      .split('?')[0]
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, ':uuid')
      .replace(/\/\d+(?=\/|$)/g, '/:id')}`
    out[k] = (out[k] ?? 0) + 1
  }
  return out
}

/** A short text of a by-route count: `GET /events/view/:uuid 200, POST /events/add 3`. */
export const routesText = (routes) =>
  Object.entries(routes)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${v}`)
    .join(', ')
