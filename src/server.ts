import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import type { AppDeps } from './api/context';
import { buildApp } from './app';

export interface RunningServer {
  url: string;
  /** Stops accepting, lets in-flight requests finish (up to the grace period), then closes the database. */
  shutdown(reason: string): Promise<void>;
}

export async function startServer(deps: AppDeps): Promise<RunningServer> {
  const app = buildApp(deps);
  const { config, logger, db } = deps;
  const server = await new Promise<ServerType>((resolve, reject) => {
    const started = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => resolve(started));
    started.once('error', reject);
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;

  let stopping: Promise<void> | undefined;
  const shutdown = (reason: string) =>
    (stopping ??= (async () => {
      logger.info({ reason }, 'shutting down: no new connections, finishing in-flight requests');
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Keep-alive sockets would hold close() open. Busy ones finish their response
      // first and are closed as soon as they fall idle.
      const closeIdle = () => 'closeIdleConnections' in server && server.closeIdleConnections();
      closeIdle();
      const idleSweep = setInterval(closeIdle, 50);
      const grace = setTimeout(() => {
        logger.warn({ graceMs: config.shutdownGraceMs }, 'grace period over: closing remaining connections');
        if ('closeAllConnections' in server) server.closeAllConnections();
      }, config.shutdownGraceMs);
      await closed;
      clearInterval(idleSweep);
      clearTimeout(grace);
      // Metered usage still in memory is written before the database closes.
      await deps.keys.close().catch((error: unknown) => logger.error({ err: error }, 'could not flush usage on shutdown'));
      await db.close();
      logger.info('shutdown complete');
    })());
  return { url, shutdown };
}
