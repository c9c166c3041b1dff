#!/usr/bin/python3
"""Drives a Modbus TCP server with pymodbus's client (Debian python3-pymodbus 3.0) and checks the answers.

Usage: /usr/bin/python3 pymodbus_client_check.py --port PORT
Expects the server to hold (0-based): hr[i] = 1000 + i and ir[i] = 2*i for i < 200, coil[i] = i % 2 == 0 and
di[i] = i % 4 == 0 for i < 100. Writes hr[300] = 4242, hr[310..312] = 1, 2, 3, hr[320..321] = 9, 8, coil[5] = on,
coils[60..62] = on, off, on. Prints one line per check and exits 0 when all passed, 1 otherwise.
"""
import argparse
import logging
import sys

from pymodbus.client import ModbusTcpClient

failures = []


def check(name, condition, detail=""):
    print(f"{'PASS' if condition else 'FAIL'} {name} {detail}", flush=True)
    if not condition:
        failures.append(name)


def main(port):
    client = ModbusTcpClient("127.0.0.1", port=port, timeout=5)
    check("connect", client.connect())

    rr = client.read_holding_registers(0, 125, slave=1)
    check("fc3", not rr.isError() and rr.registers == [1000 + i for i in range(125)], str(rr))
    rr = client.read_input_registers(10, 10, slave=1)
    check("fc4", not rr.isError() and rr.registers == [2 * i for i in range(10, 20)], str(rr))
    rr = client.read_coils(0, 50, slave=1)
    check("fc1", not rr.isError() and rr.bits[:50] == [i % 2 == 0 for i in range(50)], str(rr))
    rr = client.read_discrete_inputs(0, 50, slave=1)
    check("fc2", not rr.isError() and rr.bits[:50] == [i % 4 == 0 for i in range(50)], str(rr))

    rr = client.write_register(300, 4242, slave=1)
    check("fc6", not rr.isError(), str(rr))
    rr = client.write_registers(310, [1, 2, 3], slave=1)
    check("fc16", not rr.isError(), str(rr))
    rr = client.write_coil(5, True, slave=1)
    check("fc5", not rr.isError(), str(rr))
    rr = client.write_coils(60, [True, False, True], slave=1)
    check("fc15", not rr.isError(), str(rr))
    rr = client.readwrite_registers(read_address=310, read_count=3, write_address=320, write_registers=[9, 8], slave=1)
    check("fc23", not rr.isError() and rr.registers == [1, 2, 3], str(rr))

    rr = client.read_holding_registers(65530, 10, slave=1)
    check("illegal-address", rr.isError() and getattr(rr, "exception_code", None) == 2, str(rr))
    rr = client.read_holding_registers(0, 126, slave=1)
    check("illegal-value", rr.isError() and getattr(rr, "exception_code", None) == 3, str(rr))

    client.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    logging.disable(logging.ERROR)
    main(args.port)
    sys.exit(1 if failures else 0)
