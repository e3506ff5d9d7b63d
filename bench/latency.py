#!/usr/bin/env python3
"""A userspace WAN emulator for ferry's benchmarks and round-trip tests (kernel netem is not
available on the machines ferry is measured on).

It listens on another loopback address (127.0.0.2 by default; all of 127.0.0.0/8 is loopback)
at the server's port and forwards each connection to the real server on 127.0.0.1:

- every chunk is held `--rtt-ms / 2` in each direction, queued per direction, so a link's
  throughput is not throttled by its delay;
- each new connection is charged one round trip before its first byte reaches the server
  (the TCP handshake);
- FTP: `227` replies are rewritten to name the emulator, and each passive port a `227` or `229`
  announces gets a one-shot listener at the emulator's address (plain FTP only: an FTPS control
  connection is encrypted; `--data-ports A-B` listens on a fixed range instead).

It counts what a client costs: connections, and round trips per connection — a round trip is
the client's turn ending and the server's beginning (bytes from the server after bytes from
the client), so requests sent back to back before any reply count as one. With `--stats FILE`
the counts are written there as JSON whenever a connection opens or ends, and every 50 ms.

Usage: latency.py --upstream PORT [--listen 127.0.0.2] [--port PORT] [--rtt-ms 20]
                  [--ftp] [--data-ports A-B] [--stats FILE]
Prints `listening HOST PORT` on stdout once ready. As a module: `Emulator(...).start()`.
"""

import argparse
import asyncio
import json
import os
import re
import threading
import time

CHUNK = 256 * 1024
# Bytes held per direction before the emulator stops reading: bounds memory on a fast sender.
QUEUE_CHUNKS = 256
PASV = re.compile(rb"^227 ([^(\r\n]*)\((\d+),(\d+),(\d+),(\d+),(\d+),(\d+)\)(.*)$")
EPSV = re.compile(rb"^229 .*\(\|\|\|(\d+)\|\)")


class Stats:
    def __init__(self, path):
        self.path = path
        self.connections = 0
        self.data_connections = 0
        self.round_trips = 0
        self.open = 0
        self.bytes_up = 0
        self.bytes_down = 0

    def dump(self):
        if not self.path:
            return
        doc = {k: getattr(self, k) for k in ("connections", "data_connections", "round_trips", "open", "bytes_up", "bytes_down")}
        tmp = self.path + ".tmp"
        with open(tmp, "w") as f:
            json.dump(doc, f)
        os.replace(tmp, self.path)


class Emulator:
    def __init__(self, upstream, listen="127.0.0.2", port=None, rtt_ms=20.0, ftp=False, data_ports=None,
                 upstream_host="127.0.0.1", stats=None):
        self.upstream = (upstream_host, upstream)
        self.listen = listen
        self.port = port if port is not None else upstream
        self.delay = rtt_ms / 2000.0
        self.ftp = ftp
        self.data_ports = data_ports
        self.stats = Stats(stats)
        self.passive = {}  # port -> server listening for one data connection
        self.ready = threading.Event()

    # --- connections -------------------------------------------------------------------------

    async def handle(self, client_r, client_w, port, data):
        self.stats.connections += 1
        self.stats.data_connections += data
        self.stats.open += 1
        # Written as connections open too, so `open == 0` in the file means none is.
        self.stats.dump()
        # The TCP handshake: one round trip before anything reaches the server.
        opened = time.monotonic() + 2 * self.delay
        try:
            server_r, server_w = await asyncio.open_connection(self.upstream[0], port)
        except OSError:
            client_w.close()
            self.stats.open -= 1
            self.stats.dump()
            return
        turn = {"last": None}
        up = asyncio.create_task(self.pipe(client_r, server_w, "up", turn, opened, control=False))
        down = asyncio.create_task(self.pipe(server_r, client_w, "down", turn, opened, control=self.ftp and not data))
        await asyncio.gather(up, down, return_exceptions=True)
        for w in (client_w, server_w):
            w.close()
        self.stats.open -= 1
        self.stats.dump()

    async def pipe(self, reader, writer, direction, turn, opened, control):
        queue = asyncio.Queue(QUEUE_CHUNKS)
        sender = asyncio.create_task(self.deliver(queue, writer))
        pending = b""
        try:
            while True:
                chunk = await reader.read(CHUNK)
                now = time.monotonic()
                if not chunk:
                    if pending:
                        await queue.put((max(now, opened) + self.delay, pending))
                    break
                if direction == "up":
                    self.stats.bytes_up += len(chunk)
                else:
                    self.stats.bytes_down += len(chunk)
                    if turn["last"] == "up":
                        self.stats.round_trips += 1
                turn["last"] = direction
                if control:
                    # Whole lines only, so a 227 split over two reads is still seen.
                    pending += chunk
                    cut = pending.rfind(b"\n") + 1
                    chunk, pending = self.rewrite(pending[:cut]), pending[cut:]
                    if not chunk:
                        continue
                await queue.put((max(now, opened) + self.delay, chunk))
        except (ConnectionError, OSError):
            pass
        await queue.put(None)
        await sender

    async def deliver(self, queue, writer):
        try:
            while (item := await queue.get()) is not None:
                due, chunk = item
                wait = due - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                writer.write(chunk)
                await writer.drain()
            if writer.can_write_eof():
                writer.write_eof()
        except (ConnectionError, OSError):
            # Drain the queue so the reader is never blocked on a dead peer.
            while await queue.get() is not None:
                pass

    # --- FTP passive mode --------------------------------------------------------------------

    def rewrite(self, block):
        out = []
        for line in block.split(b"\n"):
            m = PASV.match(line)
            if m:
                port = int(m.group(6)) * 256 + int(m.group(7))
                self.passive_listener(port)
                host = self.listen.replace(".", ",").encode()
                line = b"227 " + m.group(1) + b"(" + host + b"," + m.group(6) + b"," + m.group(7) + b")" + m.group(8)
            else:
                m = EPSV.match(line)
                if m:
                    self.passive_listener(int(m.group(1)))
            out.append(line)
        return b"\n".join(out)

    def passive_listener(self, port):
        if self.data_ports or port in self.passive:
            return
        loop = asyncio.get_running_loop()

        async def once(r, w):
            (await task).close()
            self.passive.pop(port, None)
            await self.handle(r, w, port, True)

        # Bound synchronously, before the reply naming it is delivered.
        import socket
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.listen, port))
        sock.listen(8)
        sock.setblocking(False)
        coro = asyncio.start_server(once, sock=sock)
        task = loop.create_task(coro)
        self.passive[port] = task

    # --- running -----------------------------------------------------------------------------

    async def main(self):
        servers = [await asyncio.start_server(lambda r, w: self.handle(r, w, self.upstream[1], False), self.listen, self.port)]
        if self.data_ports:
            lo, hi = self.data_ports
            for p in range(lo, hi + 1):
                servers.append(await asyncio.start_server(lambda r, w, p=p: self.handle(r, w, p, True), self.listen, p))
        self.port = servers[0].sockets[0].getsockname()[1]
        self.loop, self.servers = asyncio.get_running_loop(), servers
        self.stats.dump()
        self.ready.set()
        await asyncio.gather(*(s.serve_forever() for s in servers), self.dump_often())

    async def dump_often(self):
        """Every 50 ms as well, so a reader sees counts while a connection lingers."""
        if not self.stats.path:
            return
        while True:
            await asyncio.sleep(0.05)
            self.stats.dump()

    def stop(self):
        """Stop listening (for bench scripts that run several emulators on one port in turn)."""
        async def close():
            for s in self.servers:
                s.close()
        asyncio.run_coroutine_threadsafe(close(), self.loop).result(5)

    def start(self):
        """Run in a background thread (for bench scripts); returns self once listening."""
        threading.Thread(target=lambda: asyncio.run(self.main()), daemon=True).start()
        if not self.ready.wait(10):
            raise RuntimeError("latency emulator did not start")
        return self


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--upstream", type=int, required=True, help="the server's port on 127.0.0.1")
    ap.add_argument("--listen", default="127.0.0.2")
    ap.add_argument("--port", type=int, help="listen port (default: the server's; 0 picks one)")
    ap.add_argument("--rtt-ms", type=float, default=20.0)
    ap.add_argument("--ftp", action="store_true", help="rewrite 227 replies and follow passive ports")
    ap.add_argument("--data-ports", help="A-B: listen on this passive range instead of following replies")
    ap.add_argument("--stats", help="write counts here as JSON")
    a = ap.parse_args()
    ports = tuple(int(x) for x in a.data_ports.split("-")) if a.data_ports else None
    em = Emulator(a.upstream, a.listen, a.port, a.rtt_ms, a.ftp, ports, stats=a.stats)

    async def run():
        task = asyncio.create_task(em.main())
        while not em.ready.is_set():
            await asyncio.sleep(0.005)
        print(f"listening {em.listen} {em.port}", flush=True)
        await task
    asyncio.run(run())


if __name__ == "__main__":
    main()
