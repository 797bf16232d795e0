import net from 'node:net'

/** Resolves true when nothing listens on the port (on any address, IPv4 or IPv6). */
const isFree = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const probe = net.createServer()
    probe.once('error', () => resolve(false))
    probe.listen({ port, exclusive: true }, () => probe.close(() => resolve(true)))
  })

/** The ports of `wanted` that are in use. Motia silently moves to the next port, so we refuse to start instead. */
export const busyPorts = async (wanted: readonly { name: string; port: number }[]) => {
  const checks = await Promise.all(wanted.map(async (item) => ({ ...item, free: await isFree(item.port) })))
  return checks.filter((item) => !item.free)
}
