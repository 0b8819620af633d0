import { connect } from 'node:net';

/**
 * Asks the server to cancel the statement a backend is running, as psql does
 * on Ctrl-C: a CancelRequest on a new connection (no authentication; the
 * backend's process id and secret key identify it), which the server
 * answers by closing the connection.
 * https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-CANCELING-REQUESTS
 */
export function sendCancelRequest(host: string, port: number, processId: number, secretKey: number, timeoutMs = 2_000): Promise<void> {
  return new Promise((resolve) => {
    const socket = host.startsWith('/') ? connect(`${host}/.s.PGSQL.${port}`) : connect(port, host);
    const done = (): void => {
      socket.destroy();
      resolve();
    };
    socket.setTimeout(timeoutMs, done);
    socket.on('error', done);
    socket.on('close', done);
    socket.on('connect', () => {
      const message = Buffer.alloc(16);
      message.writeInt32BE(16, 0);
      message.writeInt32BE(80877102, 4); // the cancel request code: 1234 << 16 | 5678
      message.writeInt32BE(processId, 8);
      message.writeInt32BE(secretKey, 12);
      socket.end(message);
    });
  });
}
