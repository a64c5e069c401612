// Entry of the `npm run cluster` job (bundled by tools/cluster.sh). Only wires process I/O to runClusterCli.
import { pino } from 'pino';
import { runClusterCli } from './lib/cluster-cli.js';

const verbose = process.argv.includes('--verbose') || process.argv.includes('-v');
const logger = pino({ level: verbose ? 'info' : 'warn' }, pino.destination(2));
const stopSignal = new Promise<string>((resolve) => {
  process.once('SIGINT', () => resolve('SIGINT'));
  process.once('SIGTERM', () => resolve('SIGTERM'));
});
runClusterCli(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  logger,
  stopSignal,
  cwd: process.cwd(),
})
  .then((code) => process.exit(code))
  .catch((err: unknown) => {
    process.stderr.write(`cluster: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
