#!/usr/bin/python3
"""A pymodbus (Debian python3-pymodbus 3.0) Modbus TCP server on loopback with known data, for tests and benchmarks.

Usage: /usr/bin/python3 pymodbus_server.py --port PORT   (0 lets the OS pick)
Prints "LISTENING <port>" once bound, then serves until stdin closes (so it dies with the test process) or it is
killed. The data below is mirrored by tests/EdgePartition.Testing/Peers/PymodbusKnownData.cs: keep them in step.

Data (0-based wire addresses, every table SIZE elements; reading at SIZE or beyond is an illegal data address):
  holding registers  hr[i] = i for i < 1000; typed block at 1000 + 40*k for byte order k (ABCD, CDAB, BADC, DCBA)
  input registers    ir[i] = (3*i) & 0xFFFF
  coils              co[i] = i % 3 == 0
  discrete inputs    di[i] = i % 5 == 0
"""
import argparse
import asyncio
import logging
import os
import struct
import sys
import threading

from pymodbus.datastore import ModbusSequentialDataBlock, ModbusServerContext, ModbusSlaveContext
from pymodbus.server import StartAsyncTcpServer

SIZE = 2000
TYPED_BASE = 1000
TYPED_STRIDE = 40
ORDERS = ["ABCD", "CDAB", "BADC", "DCBA"]

# (offset in the block, struct format, value); strings are 14 bytes at +20.
TYPED = [
    (0, ">f", 123456.0),
    (2, ">i", -123456789),
    (4, ">I", 3000000000),
    (6, ">d", -1234.5678),
    (10, ">q", -1234567890123456789),
    (14, ">Q", 12345678901234567890),
    (18, ">h", -12345),
    (19, ">H", 54321),
]
STRING_OFFSET = 20
STRING_VALUE = b"EdgePartition!"


def registers_in_order(big_endian: bytes, order: str) -> list:
    """Lays the big-endian bytes of a value into registers the way a device with this byte order would."""
    words = [big_endian[i:i + 2] for i in range(0, len(big_endian), 2)]
    if order in ("CDAB", "DCBA"):
        words.reverse()
    if order in ("BADC", "DCBA"):
        words = [w[::-1] for w in words]
    return [int.from_bytes(w, "big") for w in words]


def string_registers(text: bytes, order: str) -> list:
    padded = text + b"\0" * (len(text) % 2)
    words = [padded[i:i + 2] for i in range(0, len(padded), 2)]
    if order in ("BADC", "DCBA"):
        words = [w[::-1] for w in words]
    return [int.from_bytes(w, "big") for w in words]


def holding_registers() -> list:
    hr = [i if i < TYPED_BASE else 0 for i in range(SIZE)]
    for k, order in enumerate(ORDERS):
        base = TYPED_BASE + TYPED_STRIDE * k
        for offset, fmt, value in TYPED:
            regs = registers_in_order(struct.pack(fmt, value), order)
            hr[base + offset:base + offset + len(regs)] = regs
        regs = string_registers(STRING_VALUE, order)
        hr[base + STRING_OFFSET:base + STRING_OFFSET + len(regs)] = regs
    return hr


def exit_when_stdin_closes():
    # The test holds our stdin: when it exits (even killed), stdin reaches EOF and the server goes too.
    sys.stdin.buffer.read()
    os._exit(0)


async def main(port: int):
    store = ModbusSlaveContext(
        di=ModbusSequentialDataBlock(0, [i % 5 == 0 for i in range(SIZE)]),
        co=ModbusSequentialDataBlock(0, [i % 3 == 0 for i in range(SIZE)]),
        hr=ModbusSequentialDataBlock(0, holding_registers()),
        ir=ModbusSequentialDataBlock(0, [(3 * i) & 0xFFFF for i in range(SIZE)]),
        zero_mode=True,
    )
    context = ModbusServerContext(slaves=store, single=True)
    server = await StartAsyncTcpServer(context=context, address=("127.0.0.1", port), defer_start=True,
                                       allow_reuse_address=True)
    serving = asyncio.ensure_future(server.serve_forever())
    await server.serving
    bound = server.server.sockets[0].getsockname()[1]
    print(f"LISTENING {bound}", flush=True)
    await serving


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    # pymodbus logs every client disconnect at ERROR; the tests disconnect on purpose.
    logging.disable(logging.ERROR)
    threading.Thread(target=exit_when_stdin_closes, daemon=True).start()
    asyncio.run(main(args.port))
