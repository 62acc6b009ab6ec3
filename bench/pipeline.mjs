// The two measured pipelines and their baseline, shared by the in-process bench and the RSS child.
import { decodeEvent23, decodeEvent24, downgrade, encodeEvent23, encodeEvent24, upgrade } from '../dist/index.js'

export const baseline = (bytes) => JSON.stringify(JSON.parse(bytes))

/** 2.4 bytes → decode → downgrade → encode 2.3 → bytes */
export const down = (bytes) => {
  const e = decodeEvent24(JSON.parse(bytes))
  if (e._tag === 'Left') throw new Error('bench input does not decode')
  return JSON.stringify(encodeEvent23(downgrade(e.right).value))
}

/** 2.3 bytes → decode → upgrade → encode 2.4 → bytes */
export const up = (bytes) => {
  const e = decodeEvent23(JSON.parse(bytes))
  if (e._tag === 'Left') throw new Error('bench input does not decode')
  return JSON.stringify(encodeEvent24(upgrade(e.right).value))
}
