/**
 * What the client sends to 2.4/2.5 servers follows MISP's own OpenAPI description
 * (`shared/spec/misp-openapi.yaml`, identical in v2.4.199 and v2.5.1): every request goes to a
 * documented path and method, and every request body validates against the operation's
 * `requestBody` schema ($refs resolved by ajv). Requests are taken from the emulator's log.
 */
import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { Ajv, type ValidateFunction } from 'ajv'
import addFormatsModule from 'ajv-formats'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { parse } from 'yaml'
import { MispClient } from '../../src/client/index.js'
import { type MispEmulator, type RequestRecord, startMispEmulator } from '../../src/testing/index.js'
import { event24, right, SHARED, SKIP_SHARED, sharedPresent } from './support.js'

// ajv-formats is CommonJS: under NodeNext its default import is the module object
type AddFormats = (ajv: Ajv) => Ajv
const formatsModule = addFormatsModule as unknown as AddFormats | { readonly default: AddFormats }
const addFormats: AddFormats = typeof formatsModule === 'function' ? formatsModule : formatsModule.default

interface Operation {
  readonly requestBody?: { readonly $ref?: string; readonly content?: Record<string, { schema: unknown }> }
}
interface Spec {
  readonly paths: Readonly<Record<string, Readonly<Record<string, Operation>>>>
  readonly components: { readonly requestBodies: Readonly<Record<string, Operation['requestBody']>> }
}

if (!sharedPresent) console.warn(SKIP_SHARED)

/**
 * OpenAPI 3.0 schemas are not quite JSON Schema: `nullable: true` becomes a `null` member of
 * `type` (and of `enum`); a `nullable` without `type` (MISP's spec has some) says nothing more.
 */
const toJsonSchema = (u: unknown): unknown => {
  if (Array.isArray(u)) return u.map(toJsonSchema)
  if (typeof u !== 'object' || u === null) return u
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(u)) if (k !== 'nullable') out[k] = toJsonSchema(v)
  const r = u as Record<string, unknown>
  if (r['nullable'] === true && typeof r['type'] === 'string') {
    out['type'] = [r['type'], 'null']
    if (Array.isArray(r['enum'])) out['enum'] = [...r['enum'], null]
  }
  return out
}

const spec: Spec | undefined = sharedPresent
  ? (toJsonSchema(parse(readFileSync(`${SHARED}spec/misp-openapi.yaml`, 'utf8'))) as Spec)
  : undefined

/** `/events/edit/{eventId}` → a RegExp on concrete paths. */
const templateRe = (template: string): RegExp =>
  new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+')}$`)

/**
 * Requests the client sends on purpose in a form the description does not spell out, each mapped
 * to the documented operation MISP runs for it, with the reason.
 */
const deviations: ReadonlyArray<{
  readonly method: string
  readonly path: RegExp
  readonly as: readonly [method: string, template: string]
  readonly why: string
}> = [
  {
    method: 'GET',
    path: /^\/tags\/index(?:\/page:\d+)?$/,
    as: ['get', '/tags'],
    why: 'CakePHP routes /tags to TagsController::index; /tags/index is what a real 2.5.1 answered (misp-versions.md §12) and what PyMISP calls; page:N is the paginator of 2.4 < 2.4.55',
  },
  {
    method: 'GET',
    path: /^\/events\/view\/[^/]+\/deleted:1$/,
    as: ['get', '/events/view/{eventId}'],
    why: 'the named parameter `deleted` of the documented view (EventsController::view@v2.4.199:1689-1711)',
  },
  {
    method: 'POST',
    path: /^\/attributes\/delete\/[^/]+$/,
    as: ['delete', '/attributes/delete/{attributeId}'],
    why: 'MISP takes POST or DELETE (AttributesController.php@v2.4.199:1050); POST is what a real 2.5.1 was seen to answer (§12) and what every release since 2.3 takes',
  },
]

/** The documented operation of a request (HEAD is answered by the GET operation). */
const operationOf = (s: Spec, method: string, path: string) => {
  const m = (method === 'HEAD' ? 'GET' : method).toLowerCase()
  const pathOnly = path.split('?')[0] ?? path
  for (const [template, ops] of Object.entries(s.paths)) {
    if (!templateRe(template).test(pathOnly)) continue
    const op = ops[m]
    if (op !== undefined) return { template, method: m, op }
  }
  for (const d of deviations) {
    if (d.method !== method || !d.path.test(pathOnly)) continue
    const op = s.paths[d.as[1]]?.[d.as[0]]
    if (op !== undefined) return { template: d.as[1], method: d.as[0], op }
  }
  return undefined
}

describe.skipIf(!sharedPresent)('requests to 2.4 servers follow MISP’s OpenAPI', () => {
  const ajv = new Ajv({ strict: false, allErrors: true })
  addFormats(ajv)
  const validators = new Map<string, ValidateFunction>()

  /** the validator of an operation's JSON request body, through its `#/components/requestBodies` $ref */
  const bodyValidator = (s: Spec, op: Operation): ValidateFunction | undefined => {
    const ref = op.requestBody?.$ref
    const pointer =
      ref !== undefined
        ? `${ref}/content/application~1json/schema`
        : op.requestBody?.content?.['application/json'] !== undefined
          ? undefined
          : undefined
    if (pointer === undefined) return undefined
    const cached = validators.get(pointer)
    if (cached !== undefined) return cached
    if (ajv.getSchema('openapi') === undefined) ajv.addSchema(s as object, 'openapi')
    const v = ajv.getSchema(`openapi${pointer}`)
    if (v === undefined) throw new Error(`cannot resolve ${pointer}`)
    validators.set(pointer, v)
    return v
  }

  const emulators: Array<MispEmulator> = []
  const sent = new Map<string, ReadonlyArray<RequestRecord>>()

  beforeAll(async () => {
    for (const version of ['2.4.0', '2.4.102', '2.4.199', '2.5'] as const) {
      const emu = await startMispEmulator({ version })
      emulators.push(emu)
      const misp = new MispClient({ url: emu.url, key: emu.apiKey, version: '2.4' })
      const event = event24({
        Tag: [{ name: 'tlp:green' }],
        Object: [
          {
            uuid: randomUUID(),
            name: 'domain-ip',
            'meta-category': 'network',
            template_uuid: '43b3b146-77eb-4931-b4cc-b66c60f28734',
            template_version: '10',
            distribution: '5',
            timestamp: '1700000000',
            comment: '',
            Attribute: [
              {
                uuid: randomUUID(),
                type: 'domain',
                category: 'Network activity',
                object_relation: 'domain',
                value: 'example.org',
                distribution: '5',
                to_ids: true,
                timestamp: '1700000000',
              },
            ],
          },
        ],
      })
      // only the requests matter here: the answers are checked elsewhere (an object's `description:
      // null` does not decode with the current V24.Object model, reported to the lead)
      await right(misp.version())
      await right(misp.exists(event.uuid))
      const created = await misp.create(event)()
      await misp.create(event)()
      await right(misp.exists(event.uuid))
      await misp.get(event.uuid)()
      if (created._tag === 'Right' && created.right._tag === 'Created') await misp.get(created.right.id)()
      else await misp.get(1)()
      await misp.update({ ...event, timestamp: '1700000100' })()
      await misp.update({ ...event, timestamp: '1700000100' })()
      await right(misp.index())
      await right(misp.index({ since: 1700000000, minimal: true }))
      // tags and deletions (issue #7)
      const tags = await right(misp.tags())
      const amber = await right(misp.createTag({ name: 'tlp:amber' }))
      const stored = (await right(misp.index())).find((r) => r.uuid === event.uuid)
      if (stored === undefined) throw new Error('the event is not in the index')
      await right(misp.attachTag(stored.id, amber))
      // (attaching by name, `POST /events/addTag/{id} {"tag": name}`, is §12's undocumented form: not used here)
      await right(misp.detachTag(stored.id, amber.id))
      await right(misp.eventsWithTag(tags[0]?.id ?? amber.id))
      const full = await right(misp.get(stored.id))
      const attribute = full.Object?.[0]?.Attribute?.[0]?.id ?? full.Attribute?.[0]?.id
      if (attribute !== undefined) await right(misp.deleteAttribute(attribute))
      await right(misp.get(stored.id, { deleted: true }))
      sent.set(version, emu.requests)
    }
  })
  afterAll(async () => {
    await Promise.all(emulators.map((e) => e.close()))
  })

  test.each(['2.4.0', '2.4.102', '2.4.199', '2.5'])('MISP %s: documented paths and methods', (version) => {
    const s = spec!
    const requests = sent.get(version) ?? []
    expect(requests.length).toBeGreaterThan(8)
    const used = new Set<string>()
    for (const r of requests) {
      const found = operationOf(s, r.method, r.path)
      expect(found, `${r.method} ${r.path} is not in the OpenAPI description`).toBeDefined()
      if (found !== undefined) used.add(`${found.method} ${found.template}`)
    }
    // the operations the client is expected to use, by era
    expect(used).toContain('get /servers/getVersion')
    expect(used).toContain('post /events/add')
    expect(used).toContain('put /events/edit/{eventId}')
    expect(used).toContain('get /events/view/{eventId}')
    expect(used).toContain('post /events/index')
    if (version !== '2.4.0') expect(used).toContain('post /events/restSearch')
    expect(used).toContain('get /tags')
    expect(used).toContain('post /tags/add')
    expect(used).toContain('post /events/addTag/{eventId}/{tagId}/local:{local}')
    expect(used).toContain('post /events/removeTag/{eventId}/{tagId}')
    expect(used).toContain('delete /attributes/delete/{attributeId}')
  })

  test.each(['2.4.0', '2.4.102', '2.4.199', '2.5'])('MISP %s: request bodies validate', (version) => {
    const s = spec!
    let checked = 0
    for (const r of sent.get(version) ?? []) {
      const found = operationOf(s, r.method, r.path)
      if (found === undefined || r.body === undefined) continue
      const validate = bodyValidator(s, found.op)
      expect(validate, `${found.method} ${found.template} has no JSON request body schema`).toBeDefined()
      if (validate === undefined) continue
      const ok = validate(r.body)
      expect(ok, `${r.method} ${r.path}: ${ajv.errorsText(validate.errors)}`).toBe(true)
      checked += 1
      // MISP documents the bare event for add/edit; every MISP also takes (and we send) {"Event": …}
      const inner = (r.body as { Event?: unknown }).Event
      if (inner !== undefined) {
        const innerOk = validate(inner)
        expect(innerOk, `${r.method} ${r.path} Event: ${ajv.errorsText(validate.errors)}`).toBe(true)
      }
    }
    expect(checked).toBeGreaterThanOrEqual(version === '2.4.0' ? 6 : 7)
  })

  test('the validators are not vacuous', () => {
    const s = spec!
    const add = bodyValidator(s, s.paths['/events/add']!['post']!)!
    expect(add({ uuid: 'not-a-uuid', info: 'x', distribution: '1' })).toBe(false)
    expect(add({ distribution: 7 })).toBe(false)
    const search = bodyValidator(s, s.paths['/events/restSearch']!['post']!)!
    expect(search({ returnFormat: 'json', uuid: randomUUID(), metadata: 1 })).toBe(false)
    expect(search({ returnFormat: 'json', uuid: randomUUID(), metadata: true })).toBe(true)
    const index = bodyValidator(s, s.paths['/events/index']!['post']!)!
    expect(index({ timestamp: 1700000000 })).toBe(false)
    expect(index({ timestamp: '1700000000' })).toBe(true)
  })
})
