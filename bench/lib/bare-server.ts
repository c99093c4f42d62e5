// The baseline: plain node:http serving fixed bytes, nothing else. Run as a child process:
// PORT=… BODY_FILE=… CONTENT_TYPE=… node bench/lib/bare-server.ts
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const body = readFileSync(process.env.BODY_FILE ?? '');
const headers = {
  'content-type': process.env.CONTENT_TYPE ?? 'application/octet-stream',
  'content-length': String(body.length),
};

const server = createServer((_req, res) => {
  res.writeHead(200, headers);
  res.end(body);
});
server.listen(Number(process.env.PORT), '127.0.0.1');
process.once('SIGTERM', () => server.close(() => process.exit(0)));
