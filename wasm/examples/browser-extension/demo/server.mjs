// Serves the demo chat on 127.0.0.1 and records what reaches it ("sent" messages).
//   node demo/server.mjs [PORT]     then open http://127.0.0.1:PORT/
// The Playwright test imports startDemoServer() and checks `sent` afterwards.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const FILES = {
  '/': ['index.html', 'text/html; charset=utf-8'],
  '/chat.js': ['chat.js', 'text/javascript; charset=utf-8'],
  '/chat.css': ['chat.css', 'text/css; charset=utf-8'],
};
const MAX_BODY = 64 * 1024;

/** Starts the server on 127.0.0.1 (port 0 = any free port). */
export async function startDemoServer(port = 0) {
  const sent = [];
  const server = createServer(async (req, res) => {
    if (req.method === 'POST' && req.url === '/send') {
      let body = '';
      for await (const chunk of req) {
        body += chunk;
        if (body.length > MAX_BODY) { res.writeHead(413).end(); return; }
      }
      sent.push(body);
      res.writeHead(204).end();
      return;
    }
    const entry = req.method === 'GET' ? FILES[req.url] : undefined;
    if (!entry) { res.writeHead(404).end(); return; }
    const data = await readFile(fileURLToPath(new URL(entry[0], import.meta.url)));
    res.writeHead(200, { 'content-type': entry[1] }).end(data);
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}/`;
  return { url, sent, close: () => new Promise((resolve) => server.close(resolve)) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { url, sent } = await startDemoServer(Number(process.argv[2] ?? 8080));
  console.log(`demo chat on ${url}`);
  setInterval(() => { while (sent.length) console.log('sent:', sent.shift()); }, 500);
}
