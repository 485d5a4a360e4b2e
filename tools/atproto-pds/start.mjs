// Starts an in-memory PLC directory and a Bluesky PDS on the loopback
// interface for relais's end-to-end tests. The settings mirror the TestPds
// setup of @atproto/dev-env; nothing here reaches beyond 127.0.0.1.
//
// Environment: ATPROTO_DATA_DIR (required, a fresh directory per run),
// ATPROTO_PLC_PORT (2582), ATPROTO_PDS_PORT (2583), ATPROTO_APPVIEW_URL
// (a closed local port, so app.bsky.* calls fail fast with 502 UpstreamFailure).
import crypto from 'node:crypto'
import path from 'node:path'
import * as atcrypto from '@atproto/crypto'
import pds from '@atproto/pds'
import plc from '@did-plc/server'

const host = '127.0.0.1'
const plcPort = Number(process.env.ATPROTO_PLC_PORT || 2582)
const pdsPort = Number(process.env.ATPROTO_PDS_PORT || 2583)
const dataDir = process.env.ATPROTO_DATA_DIR
if (!dataDir) throw new Error('start.mjs: ATPROTO_DATA_DIR must name a fresh directory')
const appViewUrl = process.env.ATPROTO_APPVIEW_URL || 'http://127.0.0.1:1'

// Both servers call app.listen(port), which binds every interface; pin the host.
const bindLoopback = (app) => {
  const listen = app.listen.bind(app)
  app.listen = (port, ...rest) => listen(port, host, ...rest)
}

const plcServer = plc.PlcServer.create({ db: plc.Database.mock(), port: plcPort })
bindLoopback(plcServer.app)
await plcServer.start()

const recoveryKey = await atcrypto.Secp256k1Keypair.create()
const rotationKey = await atcrypto.Secp256k1Keypair.create({ exportable: true })
const random = () => crypto.randomBytes(16).toString('hex')

const env = {
  devMode: true,
  port: pdsPort,
  hostname: 'localhost',
  dataDirectory: dataDir,
  blobstoreDiskLocation: path.join(dataDir, 'blobs'),
  recoveryDidKey: recoveryKey.did(),
  adminPassword: random(),
  jwtSecret: random(),
  serviceHandleDomains: ['.test'],
  didPlcUrl: `http://localhost:${plcPort}`,
  bskyAppViewUrl: appViewUrl,
  bskyAppViewDid: 'did:example:invalid',
  modServiceUrl: appViewUrl,
  modServiceDid: 'did:example:invalid',
  plcRotationKeyK256PrivateKeyHex: Buffer.from(await rotationKey.export()).toString('hex'),
  inviteRequired: false,
  disableSsrfProtection: true,
  rateLimitsEnabled: true,
}

const server = await pds.PDS.create(pds.envToCfg(env), pds.envToSecrets(env))
bindLoopback(server.app)
await server.start()
console.log(`PLC http://${host}:${plcPort}  PDS http://${host}:${pdsPort}`)

const stop = async () => {
  await server.destroy()
  await plcServer.destroy()
  process.exit(0)
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
