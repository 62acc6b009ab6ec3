/**
 * Sample events of `misp-bridge demo` (data, nothing fetched): what a MISP 2.3 server and a MISP
 * 2.4 server hold before the demo syncs them. Between them they show what the connectors do:
 * organisations by name, objects flattened for 2.3, tags and galaxies 2.3 cannot hold, a
 * sharing-group event, an attribute that inherits the event's distribution (5), attribute types
 * 2.3 does not know, and events that exist on one side only.
 *
 * @since 0.1.0
 */

/** 2024-11-27T09:20:00Z, the events' common base time (unix seconds). */
const T0 = 1732699200

/**
 * Events of the demo's MISP 2.3 server, in its wire format (`org`/`orgc` names, distribution
 * 0–3, no tags, no objects).
 *
 * @category data
 * @since 0.1.0
 */
export const demoEvents23: ReadonlyArray<{ readonly Event: Record<string, unknown> }> = [
  {
    Event: {
      uuid: '5f1c2a3e-0d4b-4c8e-9a1f-23a000000001',
      info: 'Phishing wave against finance departments (only on 2.3)',
      date: '2024-11-20',
      threat_level_id: '2',
      analysis: '2',
      distribution: '1',
      published: true,
      timestamp: String(T0),
      publish_timestamp: String(T0),
      org: 'CIRCL',
      orgc: 'CIRCL',
      locked: false,
      Attribute: [
        {
          uuid: '5f1c2a3e-0d4b-4c8e-9a1f-23a000000101',
          type: 'email-src',
          category: 'Payload delivery',
          value: 'invoices@payments-example.test',
          to_ids: true,
          distribution: '1',
          comment: 'sender of the lure',
          timestamp: String(T0),
        },
        {
          uuid: '5f1c2a3e-0d4b-4c8e-9a1f-23a000000102',
          type: 'url',
          category: 'Network activity',
          value: 'https://payments-example.test/login',
          to_ids: true,
          distribution: '1',
          comment: '',
          timestamp: String(T0),
        },
        {
          uuid: '5f1c2a3e-0d4b-4c8e-9a1f-23a000000103',
          type: 'ip-dst',
          category: 'Network activity',
          value: '198.51.100.23',
          to_ids: true,
          distribution: '3',
          comment: 'landing page host',
          timestamp: String(T0),
        },
      ],
    },
  },
  {
    Event: {
      uuid: '5f1c2a3e-0d4b-4c8e-9a1f-23a000000002',
      info: 'Ransomware dropper hashes',
      date: '2024-11-22',
      threat_level_id: '1',
      analysis: '1',
      distribution: '3',
      published: true,
      timestamp: String(T0 + 60),
      publish_timestamp: String(T0 + 60),
      org: 'CERT-EU',
      orgc: 'CERT-EU',
      locked: false,
      Attribute: [
        {
          uuid: '5f1c2a3e-0d4b-4c8e-9a1f-23a000000201',
          type: 'md5',
          category: 'Payload delivery',
          value: '44d88612fea8a8f36de82e1278abb02f',
          to_ids: true,
          distribution: '3',
          comment: '',
          timestamp: String(T0 + 60),
        },
        {
          uuid: '5f1c2a3e-0d4b-4c8e-9a1f-23a000000202',
          type: 'filename|sha1',
          category: 'Payload installation',
          value: 'dropper.exe|3395856ce81f2b7382dee72602f798b642f14140',
          to_ids: true,
          distribution: '3',
          comment: 'first stage',
          timestamp: String(T0 + 60),
        },
      ],
    },
  },
  {
    Event: {
      uuid: '5f1c2a3e-0d4b-4c8e-9a1f-23a000000003',
      info: 'Internal note: scanner seen at the perimeter (our own organisation, distribution 0)',
      date: '2024-11-25',
      threat_level_id: '4',
      analysis: '0',
      distribution: '0',
      published: false,
      timestamp: String(T0 + 120),
      publish_timestamp: '0',
      org: 'ORGNAME',
      orgc: 'ORGNAME',
      locked: false,
      Attribute: [
        {
          uuid: '5f1c2a3e-0d4b-4c8e-9a1f-23a000000301',
          type: 'ip-src',
          category: 'Network activity',
          value: '203.0.113.9',
          to_ids: false,
          distribution: '0',
          comment: 'mass scanner',
          timestamp: String(T0 + 120),
        },
      ],
    },
  },
]

/**
 * Events of the demo's MISP 2.4 server, in its wire format (`Orgc` objects, tags, galaxies,
 * objects, a sharing group, distribution 5 on an attribute, attribute types 2.3 lacks).
 *
 * @category data
 * @since 0.1.0
 */
export const demoEvents24: ReadonlyArray<{ readonly Event: Record<string, unknown> }> = [
  {
    Event: {
      uuid: '5f1c2a3e-0d4b-4c8e-9a1f-24b000000001',
      info: 'APT infrastructure: objects, tags and a galaxy',
      date: '2024-11-21',
      threat_level_id: '1',
      analysis: '2',
      distribution: '2',
      sharing_group_id: '0',
      published: true,
      timestamp: String(T0 + 30),
      publish_timestamp: String(T0 + 30),
      locked: false,
      Orgc: { name: 'CERT-FR', uuid: '5f1c2a3e-0d4b-4c8e-9a1f-0000000000f1' },
      Tag: [
        { name: 'tlp:amber', colour: '#FFC000', exportable: true },
        { name: 'misp-galaxy:threat-actor="Sofacy"', colour: '#0088cc', exportable: true },
      ],
      Attribute: [
        {
          uuid: '5f1c2a3e-0d4b-4c8e-9a1f-24b000000101',
          type: 'domain',
          category: 'Network activity',
          value: 'update-check.example.test',
          to_ids: true,
          distribution: '5',
          sharing_group_id: '0',
          comment: 'inherits the event distribution (5)',
          timestamp: String(T0 + 30),
          Tag: [{ name: 'kill-chain:command-and-control', colour: '#aa0000', exportable: true }],
        },
      ],
      Object: [
        {
          uuid: '5f1c2a3e-0d4b-4c8e-9a1f-24b000000a01',
          name: 'domain-ip',
          'meta-category': 'network',
          description: 'A domain and the IP addresses it resolved to',
          template_uuid: '43b3b146-77eb-4931-b4cc-b66c60f28734',
          template_version: '9',
          distribution: '5',
          sharing_group_id: '0',
          comment: '',
          timestamp: String(T0 + 30),
          deleted: false,
          Attribute: [
            {
              uuid: '5f1c2a3e-0d4b-4c8e-9a1f-24b000000a11',
              type: 'domain',
              category: 'Network activity',
              object_relation: 'domain',
              value: 'cdn-mirror.example.test',
              to_ids: true,
              distribution: '5',
              sharing_group_id: '0',
              comment: '',
              timestamp: String(T0 + 30),
            },
            {
              uuid: '5f1c2a3e-0d4b-4c8e-9a1f-24b000000a12',
              type: 'ip-dst',
              category: 'Network activity',
              object_relation: 'ip',
              value: '192.0.2.44',
              to_ids: true,
              distribution: '5',
              sharing_group_id: '0',
              comment: '',
              timestamp: String(T0 + 30),
            },
          ],
        },
      ],
    },
  },
  {
    Event: {
      uuid: '5f1c2a3e-0d4b-4c8e-9a1f-24b000000002',
      info: 'Banking trojan C2, shared with the Finance ISAC sharing group',
      date: '2024-11-23',
      threat_level_id: '2',
      analysis: '1',
      distribution: '4',
      sharing_group_id: '1',
      published: true,
      timestamp: String(T0 + 90),
      publish_timestamp: String(T0 + 90),
      locked: false,
      Orgc: { name: 'CERT-FR', uuid: '5f1c2a3e-0d4b-4c8e-9a1f-0000000000f1' },
      SharingGroup: {
        name: 'Finance ISAC',
        uuid: '5f1c2a3e-0d4b-4c8e-9a1f-0000000005a1',
        releasability: 'Members of the Finance ISAC',
        description: 'Banks and payment processors',
        Organisation: { name: 'CERT-FR', uuid: '5f1c2a3e-0d4b-4c8e-9a1f-0000000000f1' },
        SharingGroupOrg: [
          { extend: true, Organisation: { name: 'CERT-FR', uuid: '5f1c2a3e-0d4b-4c8e-9a1f-0000000000f1' } },
          { extend: false, Organisation: { name: 'BankCo', uuid: '5f1c2a3e-0d4b-4c8e-9a1f-0000000000f2' } },
        ],
      },
      Tag: [{ name: 'tlp:red', colour: '#CC0033', exportable: true }],
      Attribute: [
        {
          uuid: '5f1c2a3e-0d4b-4c8e-9a1f-24b000000201',
          type: 'ip-dst',
          category: 'Network activity',
          value: '203.0.113.77',
          to_ids: true,
          distribution: '5',
          sharing_group_id: '0',
          comment: 'C2 server',
          timestamp: String(T0 + 90),
        },
      ],
    },
  },
  {
    Event: {
      uuid: '5f1c2a3e-0d4b-4c8e-9a1f-24b000000003',
      info: 'Cryptominer campaign: attributes 2.3 cannot hold',
      date: '2024-11-24',
      threat_level_id: '3',
      analysis: '1',
      distribution: '1',
      sharing_group_id: '0',
      published: false,
      timestamp: String(T0 + 150),
      publish_timestamp: '0',
      locked: false,
      Orgc: { name: 'ORGNAME', uuid: '5f1c2a3e-0d4b-4c8e-9a1f-0000000000f3' },
      Attribute: [
        {
          uuid: '5f1c2a3e-0d4b-4c8e-9a1f-24b000000301',
          type: 'btc',
          category: 'Financial fraud',
          value: '1BoatSLRHtKNngkdXEeobR76b53LETtpyT',
          to_ids: true,
          distribution: '5',
          sharing_group_id: '0',
          comment: 'wallet: no btc type, no Financial fraud category in 2.3',
          timestamp: String(T0 + 150),
        },
        {
          uuid: '5f1c2a3e-0d4b-4c8e-9a1f-24b000000302',
          type: 'sha512',
          category: 'Payload delivery',
          value:
            'cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e',
          to_ids: true,
          distribution: '1',
          sharing_group_id: '0',
          comment: 'no sha512 type in 2.3',
          timestamp: String(T0 + 150),
        },
        {
          uuid: '5f1c2a3e-0d4b-4c8e-9a1f-24b000000303',
          type: 'ip-dst',
          category: 'Network activity',
          value: '192.0.2.200',
          to_ids: true,
          distribution: '1',
          sharing_group_id: '0',
          comment: 'mining pool',
          timestamp: String(T0 + 150),
        },
      ],
    },
  },
]
