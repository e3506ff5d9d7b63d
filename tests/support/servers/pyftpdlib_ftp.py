#!/usr/bin/env python3
"""A pyftpdlib FTP server for ferry's interop tests: serves ROOT on 127.0.0.1 to user
`tester` (password `secret`), logging to LOG (one "logged in" line per login).
Prints "listening PORT" once ready.
Usage: pyftpdlib_ftp.py ROOT LOG [--no-mlst] [--local-times]
  --no-mlst      a LIST-only server: no MLST/MLSD (and none in FEAT)
  --local-times  LIST and MDTM in the process's zone (TZ) instead of UTC"""

import logging
import sys

from pyftpdlib.authorizers import DummyAuthorizer
from pyftpdlib.handlers import FTPHandler
from pyftpdlib.servers import FTPServer


def main(root, log, *opts):
    logging.basicConfig(filename=log, level=logging.INFO, format="%(asctime)s %(message)s")
    authorizer = DummyAuthorizer()
    authorizer.add_user("tester", "secret", root, perm="elradfmwMT")

    class Handler(FTPHandler):
        pass

    Handler.authorizer = authorizer
    Handler.passive_ports = None
    if "--no-mlst" in opts:
        Handler.proto_cmds = {k: v for k, v in FTPHandler.proto_cmds.items() if k not in ("MLST", "MLSD")}
    if "--local-times" in opts:
        Handler.use_gmt_times = False
    server = FTPServer(("127.0.0.1", 0), Handler)
    server.max_cons = 256
    server.max_cons_per_ip = 256
    print(f"listening {server.socket.getsockname()[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main(*sys.argv[1:])
