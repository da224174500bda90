"""The fixture server 07-io talks to, for the CPython reference run and nbconvert's bench runs only: http://localhost:8765.
GET /page/N    -> after 0.1 s, JSON {"page": N, "words": 100 + 7 * N}   (N in 1..50, else 404)
GET /slow      -> after 2 s, JSON {"slow": true}
GET /missing   -> 404 with body "no such page"
Each request is served on its own thread, with a listen backlog of 128, as a real web server would."""
import json, time
from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler

class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def reply(self, status, body, kind='application/json'):
        data = body.encode()
        self.send_response(status)
        self.send_header('Content-Type', kind)
        self.send_header('Content-Length', str(len(data)))
        self.end_headers()
        try:
            self.wfile.write(data)
        except BrokenPipeError:  # the client gave up first (its timeout): nothing to say to it
            pass

    def do_GET(self):
        parts = self.path.strip('/').split('/')
        if parts[0] == 'page' and len(parts) == 2 and parts[1].isdigit() and 1 <= int(parts[1]) <= 50:
            n = int(parts[1])
            time.sleep(0.1)
            self.reply(200, json.dumps({'page': n, 'words': 100 + 7 * n}))
        elif parts == ['slow']:
            time.sleep(2)
            self.reply(200, json.dumps({'slow': True}))
        else:
            self.reply(404, 'no such page', 'text/plain')

class Server(ThreadingHTTPServer):
    request_queue_size = 128  # socketserver's default backlog of 5 drops connections when 12 threads connect at once
    daemon_threads = True

if __name__ == '__main__':
    Server(('127.0.0.1', 8765), Handler).serve_forever()
