// The baseline: a bare node:http server in its own process, answering every request (after reading
// its body) with a small constant JSON body. Port from argv[2] (0 = any); prints {"port":N} when
// listening. With an IPC channel it answers {type:'stats'} like bench/serve-entry.mjs.
import { createServer } from 'node:http';
import { answer, listen } from './lib/reference.mjs';

const server = createServer((req, res) => {
  req.on('data', () => {});
  req.on('end', () => answer(res));
});
listen(server);
