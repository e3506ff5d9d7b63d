#!/usr/bin/env python3
"""An asyncssh SFTP server for ferry's interop tests: serves ROOT (chrooted) on 127.0.0.1 with
a given host key, accepting one client key. Prints "listening PORT" once ready.
Usage: asyncssh_sftp.py ROOT HOST_KEY AUTHORIZED_KEYS"""

import asyncio
import sys

import asyncssh


async def main(root, host_key, authorized):
    server = await asyncssh.listen(
        "127.0.0.1", 0,
        server_host_keys=[host_key],
        authorized_client_keys=authorized,
        sftp_factory=lambda chan: asyncssh.SFTPServer(chan, chroot=root),
        allow_scp=False,
    )
    print(f"listening {server.sockets[0].getsockname()[1]}", flush=True)
    await asyncio.Future()


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:4]))
