/**
 * The value formats the emulator checks for the common attribute types — hashes by length, IP
 * addresses, domains — with MISP's messages (rec#26: an `ip-dst` "not-an-ip" is dropped). MISP's
 * full validators are not tabulated in the docs; these are what the recorded exchanges exercise.
 *
 * @internal
 */

const hexOf = (n: number): RegExp => new RegExp(`^[0-9a-f]{${n}}$`, 'i')
const hashLengths: Record<string, number> = {
  md5: 32,
  sha1: 40,
  sha224: 56,
  sha256: 64,
  sha384: 96,
  sha512: 128,
  'sha512/224': 56,
  'sha512/256': 64,
  imphash: 32,
}

const ipv4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/
const isIpv6 = (s: string): boolean =>
  /^[0-9a-f:.]+$/i.test(s) && s.includes(':') && s.split('::').length <= 2
export const isIp = (s: string): boolean => {
  const [addr, cidr, ...rest] = s.split('/')
  if (rest.length > 0 || addr === undefined) return false
  if (cidr !== undefined && !/^\d{1,3}$/.test(cidr)) return false
  return ipv4.test(addr) || isIpv6(addr)
}
const isDomain = (s: string): boolean => /^([-\p{L}\p{N}_]+\.)+[-\p{L}\p{N}]+$/u.test(s)

const hashMessage = (n: number): string =>
  `Checksum has an invalid length or format (expected: ${n} hexadecimal characters). Please double check the value or select type "other".`

/** Value format check of the common types; `undefined` when the value is acceptable. */
export const valueFormatError = (type: string, value: string): string | undefined => {
  const checkHash = (t: string, v: string): string | undefined => {
    const n = hashLengths[t]
    if (n === undefined) return undefined
    return hexOf(n).test(v) ? undefined : hashMessage(n)
  }
  if (type in hashLengths) return checkHash(type, value)
  if (type.startsWith('filename|')) {
    const i = value.lastIndexOf('|')
    if (i <= 0) return 'Composite type, but value not explodable.'
    return checkHash(type.slice('filename|'.length), value.slice(i + 1))
  }
  switch (type) {
    case 'ip-src':
    case 'ip-dst':
      return isIp(value) ? undefined : 'IP address has an invalid format.'
    case 'domain':
    case 'hostname':
      return isDomain(value)
        ? undefined
        : `${type === 'domain' ? 'Domain' : 'Hostname'} name has an invalid format.`
    default:
      return undefined
  }
}
