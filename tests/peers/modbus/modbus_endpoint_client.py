#!/usr/bin/python3
"""Runs pymodbus's client (Debian python3-pymodbus) once against a Modbus TCP server on loopback.

Usage: /usr/bin/python3 modbus_endpoint_client.py '<json>'  with {"port": P, "ops": [...]}
  ops: {"op": "holding" | "input", "start": S, "count": N}  -> {"ok": true, "registers": [...]}
       {"op": "write", "start": S, "values": [...]}            (FC 16) -> {"ok": true}
       {"op": "write1", "start": S, "value": V}                (FC 6)  -> {"ok": true}
       {"op": "coil", "start": S, "value": true|false}         (FC 5)  -> {"ok": true}
  a refused request gives {"ok": false, "exception": CODE}.
Prints one JSON line {"connected": bool, "results": [...]} and exits 0.
"""
import json
import logging
import sys

from pymodbus.client import ModbusTcpClient


def run(client, op):
    kind = op["op"]
    if kind == "holding":
        reply = client.read_holding_registers(op["start"], op["count"], slave=1)
    elif kind == "input":
        reply = client.read_input_registers(op["start"], op["count"], slave=1)
    elif kind == "write":
        reply = client.write_registers(op["start"], op["values"], slave=1)
    elif kind == "write1":
        reply = client.write_register(op["start"], op["value"], slave=1)
    elif kind == "coil":
        reply = client.write_coil(op["start"], op["value"], slave=1)
    else:
        return {"ok": False, "error": f"unknown op {kind}"}
    if reply.isError():
        return {"ok": False, "exception": getattr(reply, "exception_code", None), "error": str(reply)}
    result = {"ok": True}
    if hasattr(reply, "registers") and kind in ("holding", "input"):
        result["registers"] = list(reply.registers)
    return result


def main():
    request = json.loads(sys.argv[1])
    client = ModbusTcpClient("127.0.0.1", port=request["port"], timeout=5)
    if not client.connect():
        print(json.dumps({"connected": False, "results": []}), flush=True)
        return
    results = [run(client, op) for op in request["ops"]]
    client.close()
    print(json.dumps({"connected": True, "results": results}), flush=True)


if __name__ == "__main__":
    logging.disable(logging.ERROR)
    main()
