// The measured work and its baseline, shared by the in-process bench and the RSS child.
import {
  decodeEvent23,
  decodeEvent24,
  downgrade,
  encodeEvent23,
  encodeEvent24,
  upgrade,
} from '../dist/index.js'

/** The baseline: what it costs just to read and write the same bytes. */
export const baseline = (bytes) => JSON.stringify(JSON.parse(bytes))

/** decode 2.4 → downgrade → encode 2.3, on a parsed value */
export const convertDown = (parsed) => {
  const e = decodeEvent24(parsed)
  if (e._tag === 'Left') throw new Error('bench input does not decode')
  return encodeEvent23(downgrade(e.right).value)
}

/** decode 2.3 → upgrade → encode 2.4, on a parsed value */
export const convertUp = (parsed) => {
  const e = decodeEvent23(parsed)
  if (e._tag === 'Left') throw new Error('bench input does not decode')
  return encodeEvent24(upgrade(e.right).value)
}

/** bytes → bytes: JSON.parse, the conversion, JSON.stringify */
export const down = (bytes) => JSON.stringify(convertDown(JSON.parse(bytes)))
export const up = (bytes) => JSON.stringify(convertUp(JSON.parse(bytes)))
